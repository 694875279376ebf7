// The §2.1 classifier over real message texts (research/pain.md quotes them from the issues they came from).
import { describe, expect, it } from 'vitest';
import { classify, fixFor, tellingLine } from '../../src/checks/classify.js';

const CASES: [string, string | undefined][] = [
  [
    'HTTP response status code 409 error code "MissingSubscriptionRegistration": The subscription is not registered to use namespace \'Microsoft.ContainerInstance\'. See https://aka.ms/rps-not-found for how to register subscriptions.',
    'region.provider-registered',
  ],
  [
    "level=fatal msg=\"Error initializing provider\" error=\"error setting up network profile: subnet '/subscriptions/<subscriptionid>/resourceGroups/<resourcegroup>/providers/Microsoft.Network/virtualNetworks/<vnet_name>/subnets/aks-virtual-nodes' is not found in vnet '<vnet_name>' in resource group '<resourcegroup>' and subnet CIDR is not specified\"",
    'network.subnet-exists',
  ],
  ['Could not find subnet virtual-node-aci in vnet aks-vnet (GetSubnetError)', 'network.subnet-exists'],
  [
    'level=fatal msg="Error initializing provider" error="error setting up network profile: unable to delegate subnet \'VirtualNodeSubnet\' to Azure Container Instance since it references the route table \'/subscriptions/.../routeTables/RT_NetworkName\'."',
    'network.subnet-route-table',
  ],
  [
    'error creating subnet: ... got HTTP response status code 400 error code "SubnetDelegationsCannotChangeWhenSubnetUsedByResource": Delegations of subnet /subscriptions/.../subnets/kubernetes cannot be changed from [] to [Microsoft.ContainerInstance/containerGroups] because it is being used by the resource /subscriptions/.../networkInterfaces/|providers|Microsoft.Compute|virtualMachineScaleSets|aks-age...',
    'network.subnet-dedicated',
  ],
  [
    "unable to delegate subnet 'aci' to Azure Container Instance as it is used by other Azure resource: 'x'",
    'network.subnet-dedicated',
  ],
  [
    "Subnet missing required delegation 'Microsoft.ContainerInstance' for container group 'g' (SubnetMissingRequiredDelegation)",
    'network.subnet-delegation',
  ],
  [
    'got HTTP response status code 409 error code "ServiceAssociationLinkNotReady": Network is not ready for container group \'default-nginx-...\'. Please try again.',
    'node.version',
  ],
  [
    "got HTTP response status code 403 error code \"AuthorizationFailed\": The client '45ddc48f-...' with object id '...' does not have authorization to perform action 'Microsoft.ContainerInstance/containerGroups/read' over scope '/subscriptions/.../resourceGroups/allhandsdemorg/providers/Microsoft.ContainerInstance/containerGroups/default-nginx'.",
    'identity.aci-role',
  ],
  [
    "error while looking up subnet: api call to https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s?api-version=2022-07-01: got HTTP response status code 403 error code \"AuthorizationFailed\": The client 'c' with object id 'o' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/subnets/read' over scope '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s' or the scope is invalid.",
    'identity.subnet-role',
  ],
  [
    "LinkedAuthorizationFailed ... has permission to perform action '...write' on scope '...'; however, it does not have permission to perform action 'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s) '<subnetId>'",
    'identity.subnet-role',
  ],
  [
    // IMDS's answer for a deleted user-assigned identity (Azure/aad-pod-identity#880), in the connector's subnet lookup.
    'error while looking up subnet: ManagedIdentityCredential: IMDS token request failed: StatusCode=400, Response={"error":"invalid_request","error_description":"Identity not found"}',
    'identity.exists',
  ],
  [
    'Sending create container group request failed: Put https://management.azure.com/subscriptions... AADSTS7000222: The provided client secret keys are expired',
    'identity.service-principal',
  ],
  ['... error code "RequestDisallowedByPolicy" ...', 'policy.azure-deny'],
  ['Region westus9 is invalid. Current supported regions are: ...', 'region.vnet'],
  [
    "got HTTP response status code 409 error code \"ServiceUnavailable\": The requested resource is not available in the location 'westus' at this moment. Please retry with a different resource request or in another location. Resource requested: '4' CPU '16' GB memory 'Linux' OS virtual network",
    'region.quota-cores',
  ],
  [
    "(ServiceUnavailable) Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'ContainerGroups' exceeded in region '<region>'. Limit: '0', Usage: '0' Requested: '1'.",
    'region.quota-container-groups',
  ],
  [
    "error code \"ContainerLimitGreaterThanContainerGroupTotalRequest\": The 'Cpu' limit '2' in container 'cg' is greater than the total request '0.5' of container group '...'",
    'LNT-RES-002',
  ],
  ['HTTP response status code 400 error code "InaccessibleImage"', 'pods.acr-pull-secret'],
  ['HTTP response status code 409 error code "RegistryErrorResponse"', 'pods.acr-pull-secret'],
  ['InvalidRequestContent: imageRegistryCredentials ... no username present in auth config', 'pods.acr-pull-secret'],
  ['failed to sync pod "default/acitest-wv7lc" in the provider: unsupported fieldPath: status.podIP', 'LNT-ENV-001'],
  ['Pod fluentd-xxxx requires volume varlog which is of an unsupported type', 'LNT-VOL-001'],
  [
    'ProviderCreateFailed ... ACI does not support providing args without specifying the command. Please supply both command and args to the pod spec.',
    'LNT-CMD-001',
  ],
  ['ACI does not support lifecycle hooks', 'LNT-LC-001'],
  ['azure container instances initContainers do not support ports', 'LNT-INIT-002'],
  ['probe must specify one of "exec" and "httpGet"', 'LNT-PRB-001'],
  ['the pod requires GPU', 'LNT-RES-004'],
  ['"DuplicateVolumes": Duplicate volumes \'kube-api-access-sndws\' are found', 'node.version'],
  [
    'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV]\ngoroutine 1 [running]:\n\t/workspace/pkg/provider/vk_node.go:38 +0x2c',
    'connector.running',
  ],
  [
    'configmaps is forbidden: User "system:serviceaccount:vk:virtual-kubelet" cannot list resource',
    'connector.running',
  ],
  ['InternalServerError: Encountered internal server error', 'pods.failed'],
  ['wget: bad address: Temporary failure resolving kubernetes.default.svc', 'network.authorized-ip-ranges'],
  ['flux capacitor out of phase', undefined],
  ['', undefined],
];

describe('classify', () => {
  for (const [text, check] of CASES)
    it(`${check ?? 'unclassified'} ← ${text.slice(0, 70)}`, () => expect(classify(text)?.check).toBe(check));

  it('fills the names into the fix, leaving <placeholders> for what is unknown', () => {
    const c = classify('RequestDisallowedByPolicy')!;
    expect(fixFor(c, { cluster: 'aks-demo', group: 'rg-aks', nodeGroup: 'MC_x' })).toMatch(
      /--scope \/subscriptions\/<subscription>\/resourceGroups\/MC_x/,
    );
    expect(fixFor(classify('GetSubnetError')!, { cluster: 'c', group: 'g' })).toBe(
      'vnodes subnet create --cluster c -g g --name <subnet>',
    );
  });

  it('picks the telling line of a log: a classified one, else the last error, else the last line', () => {
    const log = 'time=1 level=info msg="Starting"\ntime=2 level=fatal msg="x" error="AADSTS7000222: expired"\n';
    expect(tellingLine(log)).toMatch(/AADSTS7000222/);
    expect(tellingLine('a\nlevel=error msg="boom"\nb\n')).toBe('level=error msg="boom"');
    expect(tellingLine('a\nb\n')).toBe('b');
    expect(tellingLine(undefined)).toBeUndefined();
  });
});
