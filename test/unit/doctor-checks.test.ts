// Each doctor check's rule over a table of cases: literal facts in, status (and the telling part of the summary or
// remediation) out. The engine and the reads are tested elsewhere; here only the rules.
import { describe, expect, it } from 'vitest';
import { doctorChecks } from '../../src/checks/doctor.js';
import { validateRegistry } from '../../src/checks/engine.js';
import { covers, grantsFor } from '../../src/checks/identity/grants.js';
import { versionProblem } from '../../src/checks/node/index.js';
import { daemonSetAtRisk, selects } from '../../src/checks/workloads/index.js';

const SUB = '/subscriptions/s';
const SUBNET = `${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aci`;
const NRG = `${SUB}/resourceGroups/MC_rg_c_eastus`;
const cluster = (
  extra: Record<string, unknown> = {},
  addon: Record<string, unknown> | null = {
    enabled: true,
    config: { SubnetName: 'aci' },
    identity: { objectId: 'p', resourceId: `${NRG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci` },
  },
) => ({
  id: `${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c`,
  name: 'c',
  location: 'eastus',
  nodeResourceGroup: 'MC_rg_c_eastus',
  ...(addon ? { addonProfiles: { aciConnectorLinux: addon } } : {}),
  ...extra,
});
const stack = (primary = 'v1-addon') => ({
  primary,
  detected: primary === 'none' ? [] : [primary],
  signals: [],
  virtualNodes: [],
});
const VN = 'virtual-node-aci-linux';
const readyNode = (
  name = VN,
  status = 'True',
  kubeletVersion = 'v1.25.0-vk-azure-aci-1.6.2',
  since = new Date().toISOString(),
) => ({
  metadata: { name, labels: { type: 'virtual-kubelet' } },
  status: { conditions: [{ type: 'Ready', status, lastTransitionTime: since }], nodeInfo: { kubeletVersion } },
});
const connectorPod = (state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'aci-connector-linux-x-y', namespace: 'kube-system', labels: { app: 'aci-connector-linux' } },
  spec: { containers: [{ name: 'aci-connector-linux' }] },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'aci-connector-linux', restartCount: 0, ready: 'running' in state, state, ...extra }],
  },
});
const deploy = {
  metadata: { name: 'aci-connector-linux', namespace: 'kube-system' },
  status: { availableReplicas: 1 },
};
const vnPod = (name: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: { nodeName: VN, containers: [{ name: 'c', image: 'nginx' }] },
  status,
  ...extra,
});
const grant = (scope: string, actions: string[], notActions: string[] = []) => ({
  scope,
  roleDefinitionId: 'r',
  roleName: 'r',
  actions,
  notActions,
});

const REG = `${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/x`;
const registry = (extra: Record<string, unknown> = {}) => ({
  id: REG,
  name: 'x',
  loginServer: 'x.azurecr.io',
  ...extra,
});
const secretOf = (name: string, server = 'x.azurecr.io', username = true) => ({
  namespace: 'default',
  name,
  found: true,
  type: 'kubernetes.io/dockerconfigjson',
  auths: [{ server, username, password: true }],
});
/** An ACR pod on the virtual node with these pull secrets, its service account's, and the secrets' shapes. */
const acrFacts = (own: { name: string }[], fromSa: { name: string }[], pullSecrets: unknown[]) => ({
  kubeNodes: [readyNode()],
  kubePods: [
    {
      ...vnPod('p', {}),
      spec: {
        nodeName: VN,
        serviceAccountName: 'puller',
        containers: [{ name: 'c', image: 'x.azurecr.io/a:1' }],
        imagePullSecrets: own,
      },
    },
  ],
  kubeDeployments: [],
  kubeServiceAccounts: [{ metadata: { name: 'puller', namespace: 'default' }, imagePullSecrets: fromSa }],
  pullSecrets,
});
const daysFromNow = (d: number) => new Date(Date.now() + d * 86_400_000 - 60_000).toISOString();
const spFacts = (ends: string[], signInErrors: string[] = []) => ({
  cluster: cluster({ servicePrincipalProfile: { clientId: 'app' } }),
  servicePrincipalSecrets: {
    appId: 'app',
    application: { appId: 'app', secrets: ends.map((endDateTime, i) => ({ keyId: `k${i}`, endDateTime })) },
    signInErrors,
  },
});

const FQDN = 'c-rg-1a2b.hcp.eastus.azmk8s.io';
const PFQDN = 'c-rg-1a2b.privatelink.eastus.azmk8s.io';
const NODE_SUBNET = `${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes`;
/** The connector's env (AKS's by default, overridden by `env`) against a cluster with this network profile. */
const dnsFacts = (env: Record<string, string>, net: Record<string, string> = { networkPlugin: 'azure' }) => {
  const c = cluster({ fqdn: FQDN, privateFqdn: PFQDN, networkProfile: { dnsServiceIP: '10.0.0.10', ...net } });
  const vars = {
    ACI_SUBNET_NAME: 'aci',
    KUBE_DNS_IP: '10.0.0.10',
    MASTER_URI: `https://${FQDN}:443`,
    CLUSTER_CIDR: '10.240.0.0/16',
    ...env,
  };
  return {
    cluster: c,
    kubeDeployments: [
      {
        ...deploy,
        spec: {
          template: {
            spec: { containers: [{ name: 'c', env: Object.entries(vars).map(([name, value]) => ({ name, value })) }] },
          },
        },
      },
    ],
    kubeServices: [],
    network: {
      cluster: c,
      vnetManaged: false,
      nodeSubnetId: NODE_SUBNET,
      vnet: { subnets: [{ id: NODE_SUBNET, name: 'nodes', addressPrefix: '10.240.0.0/16' }] },
    },
  };
};

const probeFact = (steps: [string, boolean][]) => ({
  pod: 'default/vnodes-probe-1',
  node: VN,
  image: 'mcr.microsoft.com/cbl-mariner/busybox:2.0',
  registry: 'mcr.microsoft.com',
  steps: steps.map(([step, ok]) => ({ step, ok, evidence: ok ? 'fine' : 'x' })),
});

type Case = [string, Record<string, unknown>, string, RegExp?];
const TABLE: Record<string, Case[]> = {
  'stack.detected': [
    ['no stack', { stack: stack('none'), cluster: cluster() }, 'fail', /vnodes enable --cluster c -g rg/],
    ['v1', { stack: stack(), cluster: cluster() }, 'pass'],
    ['v2 says what it does not cover', { stack: stack('v2-extension'), cluster: cluster() }, 'pass', /manages only v1/],
    ['helm vk', { stack: stack('helm-vk'), cluster: cluster() }, 'warn'],
    [
      'both',
      { stack: { ...stack(), detected: ['v1-addon', 'v2-helm'] }, cluster: cluster() },
      'warn',
      /vnodes disable/,
    ],
  ],
  'stack.kubernetes-configuration-provider': [
    ['registered', { kubernetesConfigurationProvider: { registrationState: 'Registered' } }, 'pass'],
    ['registering', { kubernetesConfigurationProvider: { registrationState: 'Registering' } }, 'warn'],
    [
      'not registered',
      { kubernetesConfigurationProvider: { registrationState: 'NotRegistered' } },
      'fail',
      /az provider register/,
    ],
  ],
  'region.provider-registered': [
    ['registered', { aciProvider: { registrationState: 'Registered' } }, 'pass'],
    ['not registered', { aciProvider: { registrationState: 'NotRegistered' } }, 'fail', /az provider register/],
  ],
  'addon.enabled': [
    ['on', { cluster: cluster() }, 'pass'],
    ['off', { cluster: cluster({}, null) }, 'fail', /\nvnodes enable --cluster c -g rg$/],
    ['no subnet', { cluster: cluster({}, { enabled: true, config: {} }) }, 'fail'],
    [
      'an id as the name',
      { cluster: cluster({}, { enabled: true, config: { SubnetName: SUBNET } }) },
      'fail',
      /--subnet-name aci/,
    ],
    ['last operation failed', { cluster: cluster({ provisioningState: 'Failed' }) }, 'warn'],
  ],
  'addon.node-rg-lockdown': [
    ['unrestricted', { cluster: cluster(), stack: stack() }, 'pass'],
    [
      'ReadOnly on v1',
      { cluster: cluster({ nodeResourceGroupProfile: { restrictionLevel: 'ReadOnly' } }), stack: stack() },
      'warn',
    ],
    [
      'ReadOnly on v2',
      {
        cluster: cluster({ nodeResourceGroupProfile: { restrictionLevel: 'ReadOnly' } }),
        stack: stack('v2-helm'),
      },
      'fail',
    ],
  ],
  'identity.exists': [
    [
      'exists',
      {
        cluster: cluster(),
        addonIdentity: { reported: { objectId: 'p', resourceId: 'x' }, resource: { id: 'x', principalId: 'p' } },
      },
      'pass',
    ],
    ['none reported', { cluster: cluster(), addonIdentity: {} }, 'fail'],
    [
      'deleted',
      { cluster: cluster(), addonIdentity: { reported: { objectId: 'p', resourceId: 'x/aci' } } },
      'fail',
      /vnodes disable/,
    ],
    [
      're-created',
      {
        cluster: cluster(),
        addonIdentity: { reported: { objectId: 'p', resourceId: 'x' }, resource: { id: 'x', principalId: 'q' } },
      },
      'fail',
    ],
  ],
  'identity.subnet-role': [
    [
      'network contributor on the subnet',
      {
        cluster: cluster(),
        network: { subnet: { delegations: [{ serviceName: 'Microsoft.ContainerInstance/containerGroups' }] } },
        addonGrants: { principalId: 'p', scopes: { subnet: SUBNET }, grants: [grant(SUBNET, ['Microsoft.Network/*'])] },
      },
      'pass',
    ],
    [
      'inherited from the group',
      {
        cluster: cluster(),
        network: { subnet: {} },
        addonGrants: {
          principalId: 'p',
          scopes: { subnet: SUBNET },
          grants: [grant(`${SUB}/resourceGroups/net`, ['*'])],
        },
      },
      'pass',
    ],
    [
      'reader: no join',
      {
        cluster: cluster(),
        network: { subnet: { delegations: [{ serviceName: 'Microsoft.ContainerInstance/containerGroups' }] } },
        addonGrants: { principalId: 'p', scopes: { subnet: SUBNET }, grants: [grant(SUBNET, ['*/read'])] },
      },
      'fail',
      /--role "Network Contributor"/,
    ],
    [
      'notActions take it away',
      {
        cluster: cluster(),
        network: { subnet: {} },
        addonGrants: {
          principalId: 'p',
          scopes: { subnet: SUBNET },
          grants: [grant(SUBNET, ['*'], ['Microsoft.Network/*'])],
        },
      },
      'fail',
    ],
    [
      'nothing on the subnet',
      {
        cluster: cluster(),
        network: { subnet: {} },
        addonGrants: { principalId: 'p', scopes: { subnet: SUBNET }, grants: [grant(NRG, ['*'])] },
      },
      'fail',
    ],
    ['no VNet', { cluster: cluster(), network: {}, addonGrants: { principalId: 'p', scopes: {}, grants: [] } }, 'skip'],
  ],
  'identity.aci-role': [
    [
      'contributor on the node group',
      {
        cluster: cluster(),
        addonGrants: { principalId: 'p', scopes: { nodeResourceGroup: NRG }, grants: [grant(NRG, ['*'])] },
      },
      'pass',
    ],
    [
      'none',
      { cluster: cluster(), addonGrants: { principalId: 'p', scopes: { nodeResourceGroup: NRG }, grants: [] } },
      'fail',
      /--role Contributor --scope \/subscriptions\/s\/resourceGroups\/MC_rg_c_eastus/,
    ],
  ],
  'identity.service-principal': [
    [
      'msi',
      {
        cluster: cluster({ servicePrincipalProfile: { clientId: 'msi' } }),
        servicePrincipalSecrets: { signInErrors: [] },
      },
      'pass',
    ],
    ['valid for a year', spFacts([daysFromNow(365)]), 'pass'],
    [
      'one of two expires in 10 days, the other is gone',
      spFacts([daysFromNow(-5), daysFromNow(10)]),
      'warn',
      /expires in 10 day/,
    ],
    [
      'every secret expired',
      spFacts([daysFromNow(-90), daysFromNow(-1)]),
      'fail',
      /az aks update-credentials -g rg -n c --reset-service-principal/,
    ],
    ['no secret at all', spFacts([]), 'fail'],
    [
      'AADSTS7000222 in the connector log',
      spFacts([daysFromNow(365)], ['AADSTS7000222: The provided client secret keys are expired']),
      'fail',
      /AADSTS7000222/,
    ],
    [
      'Graph 403',
      {
        ...spFacts([]),
        servicePrincipalSecrets: {
          appId: 'app',
          unreadable: 'missing permission Application.Read.All',
          signInErrors: [],
        },
      },
      'skip',
      /Application\.Read\.All/,
    ],
    ['no such application', { ...spFacts([]), servicePrincipalSecrets: { appId: 'app', signInErrors: [] } }, 'warn'],
  ],
  'connector.running': [
    [
      'running',
      {
        cluster: cluster(),
        kubeDeployments: [deploy],
        kubePods: [connectorPod({ running: {} })],
        kubeEvents: [],
        connectorLogs: [],
      },
      'pass',
    ],
    [
      'running, many restarts',
      {
        cluster: cluster(),
        kubeDeployments: [deploy],
        kubePods: [connectorPod({ running: {} }, { restartCount: 9 })],
        kubeEvents: [],
        connectorLogs: [],
      },
      'warn',
    ],
    [
      'no deployment',
      { cluster: cluster(), kubeDeployments: [], kubePods: [], kubeEvents: [], connectorLogs: [] },
      'fail',
    ],
    [
      'crash loop, classified from the previous log',
      {
        cluster: cluster(),
        kubeDeployments: [deploy],
        kubePods: [connectorPod({ waiting: { reason: 'CrashLoopBackOff' } })],
        kubeEvents: [],
        connectorLogs: [
          {
            namespace: 'kube-system',
            pod: 'p',
            container: 'c',
            previous: 'level=fatal msg="x" error="references the route table \'rt\'"',
          },
        ],
      },
      'fail',
      /subnet update .* --remove routeTable/,
    ],
    [
      'crash loop, classified from an event',
      {
        cluster: cluster(),
        kubeDeployments: [deploy],
        kubePods: [connectorPod({ waiting: { reason: 'CrashLoopBackOff' } })],
        kubeEvents: [
          {
            type: 'Warning',
            reason: 'InitFailed',
            message: 'MissingSubscriptionRegistration',
            involvedObject: { namespace: 'kube-system', name: 'aci-connector-linux-x-y' },
          },
        ],
        connectorLogs: [],
      },
      'fail',
      /az provider register/,
    ],
    [
      'OOMKilled',
      {
        cluster: cluster(),
        kubeDeployments: [deploy],
        kubePods: [
          connectorPod(
            { waiting: { reason: 'CrashLoopBackOff' } },
            { lastState: { terminated: { reason: 'OOMKilled' } } },
          ),
        ],
        kubeEvents: [],
        connectorLogs: [],
      },
      'fail',
      /out of memory/,
    ],
  ],
  'connector.init': [
    ['no init container', { kubePods: [connectorPod({ running: {} })], kubeEvents: [] }, 'pass'],
    [
      'init failed',
      {
        kubePods: [
          {
            ...connectorPod({}),
            status: {
              initContainerStatuses: [
                {
                  name: 'init-validation',
                  state: { terminated: { exitCode: 1, message: 'VNet config setup failed' } },
                },
              ],
            },
          },
        ],
        kubeEvents: [],
      },
      'fail',
      /kubectl logs -n kube-system/,
    ],
    [
      'init stuck',
      {
        kubePods: [
          {
            ...connectorPod({}),
            status: {
              initContainerStatuses: [
                {
                  name: 'init-validation',
                  state: { running: { startedAt: new Date(Date.now() - 600_000).toISOString() } },
                },
              ],
            },
          },
        ],
        kubeEvents: [],
      },
      'fail',
    ],
  ],
  'connector.v2-pods': [
    [
      'running',
      {
        kubePods: [{ ...connectorPod({ running: {} }), metadata: { name: 'vn-0', namespace: 'vn-system' } }],
        kubeStatefulSets: [],
      },
      'pass',
    ],
    ['none', { kubePods: [], kubeStatefulSets: [] }, 'fail'],
  ],
  'node.ready': [
    [
      'ready with a fresh lease',
      {
        stack: stack(),
        kubeNodes: [readyNode()],
        kubeLeases: [{ metadata: { name: VN }, spec: { renewTime: new Date().toISOString() } }],
      },
      'pass',
    ],
    ['missing', { stack: stack(), kubeNodes: [], kubeLeases: [] }, 'fail', /connector\.running/],
    ['NotReady', { stack: stack(), kubeNodes: [readyNode(VN, 'False')], kubeLeases: [] }, 'fail'],
    [
      'stale lease',
      {
        stack: stack(),
        kubeNodes: [readyNode()],
        kubeLeases: [{ metadata: { name: VN }, spec: { renewTime: new Date(Date.now() - 120_000).toISOString() } }],
      },
      'warn',
    ],
  ],
  'node.version': [
    ['current', { kubeNodes: [readyNode()] }, 'pass'],
    ['old', { kubeNodes: [readyNode(VN, 'True', 'v1.19.10-vk-azure-aci-1.4.8')] }, 'warn'],
    ['not reported', { kubeNodes: [readyNode(VN, 'True', 'v1.32.8')] }, 'skip'],
  ],
  'node.stale': [
    ['fine', { kubeNodes: [readyNode()], kubePods: [] }, 'pass'],
    [
      'NotReady for an hour',
      { kubeNodes: [readyNode('vk', 'Unknown', 'x', new Date(Date.now() - 3600_000).toISOString())], kubePods: [] },
      'warn',
      /kubectl delete node vk/,
    ],
  ],
  'pods.failed': [
    [
      'none failed',
      {
        cluster: cluster(),
        kubeNodes: [readyNode()],
        kubePods: [vnPod('ok', { phase: 'Running' })],
        kubeEvents: [],
      },
      'pass',
    ],
    [
      'ProviderFailed, classified',
      {
        cluster: cluster(),
        kubeNodes: [readyNode()],
        kubePods: [
          vnPod('p', { phase: 'Failed', reason: 'ProviderFailed', message: 'error code "InaccessibleImage"' }),
        ],
        kubeEvents: [],
      },
      'fail',
      /docker-registry/,
    ],
    [
      'unclassified',
      {
        cluster: cluster(),
        kubeNodes: [readyNode()],
        kubePods: [vnPod('p', { phase: 'Failed', reason: 'ProviderFailed', message: 'weird' })],
        kubeEvents: [],
      },
      'fail',
      /kubectl describe pod -n default p/,
    ],
    [
      'pending with a ProviderCreateFailed event',
      {
        cluster: cluster(),
        kubeNodes: [readyNode()],
        kubePods: [vnPod('p', { phase: 'Pending' })],
        kubeEvents: [
          {
            type: 'Warning',
            reason: 'ProviderCreateFailed',
            message: 'unsupported fieldPath: status.podIP',
            involvedObject: { namespace: 'default', name: 'p' },
          },
        ],
      },
      'fail',
      /fieldRefs/,
    ],
  ],
  'pods.acr-pull-secret': [
    [
      'public image',
      {
        kubeNodes: [readyNode()],
        kubePods: [vnPod('p', {})],
        kubeDeployments: [],
        kubeServiceAccounts: [],
        pullSecrets: [],
      },
      'pass',
    ],
    ['ACR, a right secret', acrFacts([{ name: 's' }], [], [secretOf('s')]), 'pass'],
    [
      'ACR, the secret from the service account',
      acrFacts([], [{ name: 's' }], [secretOf('s')]),
      'pass',
      /have a pull secret/,
    ],
    ['ACR, no secret anywhere', acrFacts([], [], []), 'fail', /InaccessibleImage/],
    [
      'ACR, the secret is missing',
      acrFacts([{ name: 's' }], [], [{ namespace: 'default', name: 's', found: false }]),
      'fail',
    ],
    ['ACR, an Opaque secret', acrFacts([{ name: 's' }], [], [{ ...secretOf('s'), type: 'Opaque' }]), 'fail'],
    ['ACR, https:// in the server', acrFacts([{ name: 's' }], [], [secretOf('s', 'https://x.azurecr.io')]), 'fail'],
    ['ACR, no username', acrFacts([{ name: 's' }], [], [secretOf('s', 'x.azurecr.io', false)]), 'fail'],
    ['ACR, another registry only', acrFacts([{ name: 's' }], [], [secretOf('s', 'y.azurecr.io')]), 'fail'],
    [
      'ACR, secret unreadable (no get secrets)',
      acrFacts(
        [{ name: 's' }],
        [],
        [{ namespace: 'default', name: 's', found: true, unreadable: 'missing permission get secrets' }],
      ),
      'pass',
    ],
  ],
  'pods.acr-network': [
    [
      'no ACR',
      {
        stack: stack(),
        kubeNodes: [readyNode()],
        kubePods: [vnPod('p', {})],
        kubeDeployments: [],
        containerRegistries: [],
      },
      'pass',
    ],
    ['open registry', { ...acrFacts([], [], []), stack: stack(), containerRegistries: [registry()] }, 'pass'],
    [
      'public access disabled, v1',
      { ...acrFacts([], [], []), stack: stack(), containerRegistries: [registry({ publicNetworkAccess: 'Disabled' })] },
      'fail',
      /az acr update -n x --public-network-enabled true/,
    ],
    [
      'default Deny, v1',
      { ...acrFacts([], [], []), stack: stack(), containerRegistries: [registry({ defaultAction: 'Deny' })] },
      'fail',
    ],
    [
      'default Deny, v2',
      {
        ...acrFacts([], [], []),
        stack: stack('v2-extension'),
        containerRegistries: [registry({ defaultAction: 'Deny' })],
      },
      'warn',
      /privatelink\.azurecr\.io/,
    ],
    ['registry in another subscription', { ...acrFacts([], [], []), stack: stack(), containerRegistries: [] }, 'skip'],
  ],
  'pods.acr-pull-identity': [
    [
      'AcrPull granted',
      {
        ...acrFacts([], [], []),
        containerRegistries: [registry()],
        acrPullGrants: {
          principalId: 'e',
          byRegistry: { [REG]: [grant(REG, ['Microsoft.ContainerRegistry/registries/pull/read'])] },
        },
      },
      'pass',
    ],
    [
      'no AcrPull',
      {
        ...acrFacts([], [], []),
        containerRegistries: [registry()],
        acrPullGrants: { principalId: 'e', byRegistry: { [REG]: [] } },
      },
      'warn',
      /--role AcrPull --scope .*registries\/x/,
    ],
    [
      'a pull secret instead',
      { ...acrFacts([{ name: 's' }], [], []), containerRegistries: [registry()], acrPullGrants: { byRegistry: {} } },
      'pass',
    ],
  ],
  'pods.windows': [
    ['linux', { kubeNodes: [], kubePods: [], kubeDeployments: [] }, 'pass'],
    [
      'windows aimed at the node',
      {
        kubeNodes: [],
        kubePods: [],
        kubeDeployments: [
          {
            metadata: { name: 'w', namespace: 'd' },
            spec: {
              template: {
                spec: { containers: [], nodeSelector: { 'kubernetes.io/os': 'windows', type: 'virtual-kubelet' } },
              },
            },
          },
        ],
      },
      'fail',
    ],
  ],
  'workloads.daemonsets': [
    ['none at risk', { kubeDaemonSets: [], kubePods: [], kubeNodes: [] }, 'pass'],
    [
      'tolerates all',
      {
        kubeDaemonSets: [
          {
            metadata: { name: 'd', namespace: 'm' },
            spec: { template: { spec: { tolerations: [{ operator: 'Exists' }], containers: [] } } },
          },
        ],
        kubePods: [],
        kubeNodes: [],
      },
      'warn',
      /kubectl patch daemonset -n m d/,
    ],
    [
      'a pod on the node',
      {
        kubeDaemonSets: [],
        kubePods: [
          vnPod('d-x', {}, {}),
          {
            ...vnPod('d-y', {}),
            metadata: { name: 'd-y', namespace: 'm', ownerReferences: [{ kind: 'DaemonSet', name: 'd' }] },
          },
        ],
        kubeNodes: [readyNode()],
      },
      'fail',
    ],
  ],
  'workloads.network-policies': [
    ['none', { kubeNetworkPolicies: [], kubePods: [], kubeNodes: [] }, 'pass'],
    [
      'selects a virtual-node pod',
      {
        kubeNetworkPolicies: [{ metadata: { name: 'np', namespace: 'default' }, spec: { podSelector: {} } }],
        kubePods: [vnPod('p', {})],
        kubeNodes: [readyNode()],
      },
      'warn',
    ],
  ],
  'workloads.lb-local': [
    [
      'cluster policy',
      {
        kubeServices: [
          {
            metadata: { name: 's', namespace: 'default' },
            spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', selector: { app: 'p' } },
          },
        ],
        kubePods: [vnPod('p', {})],
        kubeNodes: [readyNode()],
      },
      'pass',
    ],
    [
      'local policy',
      {
        kubeServices: [
          {
            metadata: { name: 's', namespace: 'default' },
            spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'p' } },
          },
        ],
        kubePods: [vnPod('p', {})],
        kubeNodes: [readyNode()],
      },
      'warn',
      /externalTrafficPolicy":"Cluster/,
    ],
  ],
  'workloads.hpa': [
    ['none', { kubeHpas: [], kubePods: [], kubeNodes: [] }, 'pass'],
    [
      'scales virtual-node pods',
      {
        kubeHpas: [
          {
            metadata: { name: 'h', namespace: 'default' },
            spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } },
          },
        ],
        kubePods: [vnPod('web-1-2', {})],
        kubeNodes: [readyNode()],
      },
      'warn',
    ],
  ],
  'dns.connector-config': [
    ...(
      [
        ['master URI and node subnet match', {}, 'pass'],
        ['MASTER_URI without :443', { MASTER_URI: `https://${FQDN}` }, 'pass'],
        ['MASTER_URI on the private FQDN', { MASTER_URI: `https://${PFQDN}:443` }, 'pass'],
        [
          'MASTER_URI of another cluster',
          { MASTER_URI: 'https://old.hcp.eastus.azmk8s.io:443' },
          'fail',
          /MASTER_URI is https:\/\/old/,
        ],
        ['MASTER_URI over plain HTTP', { MASTER_URI: `http://${FQDN}:443` }, 'fail'],
        [
          'CLUSTER_CIDR not the node subnet',
          { CLUSTER_CIDR: '10.224.0.0/16' },
          'fail',
          /the node subnet is 10\.240\.0\.0\/16/,
        ],
        [
          'kubenet compares the pod CIDR',
          { CLUSTER_CIDR: '10.244.0.0/16' },
          'pass',
          undefined,
          { networkPlugin: 'kubenet', podCidr: '10.244.0.0/16' },
        ],
        [
          'overlay with the node subnet',
          {},
          'fail',
          /the pod CIDR is 10\.244/,
          { networkPlugin: 'azure', networkPluginMode: 'overlay', podCidr: '10.244.0.0/16' },
        ],
      ] as [string, Record<string, string>, string, RegExp?, Record<string, string>?][]
    ).map(([name, env, status, re, net]): Case => [name, dnsFacts(env, net), status, re]),
    [
      'matches',
      {
        cluster: cluster({ networkProfile: { dnsServiceIP: '10.0.0.10' } }),
        kubeDeployments: [
          {
            ...deploy,
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'c',
                      env: [
                        { name: 'ACI_SUBNET_NAME', value: 'aci' },
                        { name: 'KUBE_DNS_IP', value: '10.0.0.10' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        ],
        kubeServices: [],
      },
      'pass',
    ],
    [
      'empty subnet name',
      {
        cluster: cluster(),
        kubeDeployments: [{ ...deploy, spec: { template: { spec: { containers: [{ name: 'c', env: [] }] } } } }],
        kubeServices: [],
      },
      'fail',
      /vnodes disable/,
    ],
    ['no deployment', { cluster: cluster(), kubeDeployments: [], kubeServices: [] }, 'skip'],
  ],
  'policy.azure-deny': [
    [
      'unreadable is skip',
      {
        cluster: cluster(),
        policyAssignments: { assignments: [], unreadable: 'missing permission x' },
        policyDefinitions: { scopes: [NRG], definitions: [], unreadable: 'assignments: missing permission x' },
        activityLog: { since: '2026-01-01T00:00:00Z', events: [], unreadable: 'missing permission y' },
        kubePods: [],
        kubeNodes: [],
        kubeEvents: [],
      },
      'skip',
    ],
    [
      'assignments, no deny seen',
      {
        cluster: cluster(),
        policyAssignments: { assignments: [{ id: 'a', name: 'a', scope: SUB }] },
        policyDefinitions: { scopes: [NRG], definitions: [] },
        activityLog: { since: '2026-01-01T00:00:00Z', events: [] },
        kubePods: [],
        kubeNodes: [],
        kubeEvents: [],
      },
      'pass',
    ],
    [
      'a deny seen',
      {
        cluster: cluster(),
        policyAssignments: { assignments: [] },
        policyDefinitions: { scopes: [NRG], definitions: [] },
        activityLog: { since: '2026-01-01T00:00:00Z', events: [] },
        kubePods: [],
        kubeNodes: [],
        kubeEvents: [{ reason: 'InitFailed', message: 'RequestDisallowedByPolicy', involvedObject: { name: 'x' } }],
      },
      'fail',
      /az policy exemption create/,
    ],
  ],
  // The full tables are in test/unit/doctor-policy.test.ts.
  'policy.in-cluster-deny': [
    [
      'no policy API',
      { admissionPolicies: { apis: [], objects: [] }, stack: stack(), kubePods: [], kubeNodes: [], kubeNamespaces: [] },
      'skip',
    ],
    [
      'a constraint selecting kube-system',
      {
        admissionPolicies: {
          apis: ['constraints.gatekeeper.sh'],
          objects: [
            { engine: 'gatekeeper', kind: 'K8sPSP', resource: 'k8spsp.constraints.gatekeeper.sh', name: 'x', spec: {} },
          ],
        },
        stack: stack(),
        kubePods: [],
        kubeNodes: [],
        kubeNamespaces: [],
      },
      'warn',
      /kubectl patch k8spsp.constraints.gatekeeper.sh x/,
    ],
  ],
  'probe.live': [
    [
      'every step ok',
      {
        probe: probeFact([
          ['running', true],
          ['dns', true],
          ['apiserver', true],
          ['registry', true],
          ['cleanup', true],
        ]),
      },
      'pass',
      /running, dns, apiserver, registry, cleanup ok/,
    ],
    [
      'the registry unreachable',
      {
        probe: probeFact([
          ['running', true],
          ['dns', true],
          ['apiserver', true],
          ['registry', false],
          ['cleanup', true],
        ]),
      },
      'fail',
      /failed registry \(x\)[^]*outbound HTTPS \(443\) from the ACI subnet to mcr\.microsoft\.com/,
    ],
    [
      'DNS and the API server',
      {
        probe: probeFact([
          ['running', true],
          ['dns', false],
          ['apiserver', false],
          ['registry', true],
          ['cleanup', true],
        ]),
      },
      'fail',
      /failed dns \(x\), apiserver \(x\)[^]*authorizedIPRanges/,
    ],
    [
      'never ran',
      {
        probe: probeFact([
          ['running', false],
          ['cleanup', true],
        ]),
      },
      'fail',
      /failed running[^]*never ran/,
    ],
    [
      'left behind',
      {
        probe: probeFact([
          ['running', true],
          ['dns', true],
          ['apiserver', true],
          ['registry', true],
          ['cleanup', false],
        ]),
      },
      'fail',
      /kubectl delete pod -n default vnodes-probe-1/,
    ],
    ['dry run', { probe: { ...probeFact([]), wouldCreate: { kind: 'Pod' } } }, 'skip', /^Dry run: would create pod/],
  ],
  'orphans.container-groups': [
    [
      'each has its pod',
      {
        cluster: cluster(),
        containerGroups: [{ name: 'default-p', tags: { NodeName: VN, Namespace: 'default', PodName: 'p' } }],
        kubePods: [vnPod('p', {})],
      },
      'pass',
    ],
    [
      'orphaned',
      {
        cluster: cluster(),
        containerGroups: [{ name: 'default-gone', tags: { NodeName: VN, Namespace: 'default', PodName: 'gone' } }],
        kubePods: [],
      },
      'warn',
      /az container delete -g MC_rg_c_eastus -n default-gone --yes/,
    ],
  ],
};

describe('doctor check rules', () => {
  const byId = new Map(doctorChecks.map((c) => [c.id, c]));
  for (const [id, cases] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const [name, facts, status, pattern] of cases)
        it(`${name} → ${status}`, async () => {
          const check = byId.get(id);
          if (!check) throw new Error(`no check ${id}`);
          const out = await check.run(facts as never);
          expect(out.status, out.summary).toBe(status);
          if (pattern) expect(`${out.summary}\n${out.remediation ?? ''}`).toMatch(pattern);
          if (status === 'fail' || status === 'warn') expect(out.remediation, out.summary).toBeTruthy();
        });
    });
  }

  it('every doctor check has a case table here or in the cloud/network/region tests', () => {
    const covered = new Set(Object.keys(TABLE));
    const missing = doctorChecks
      .filter((c) => !covered.has(c.id) && !/^(network|region|cloud)\./.test(c.id))
      .map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it('the registry is valid: unique area.name ids, requirements first, a catalog id and severity on each', () => {
    expect(validateRegistry(doctorChecks)).toEqual([]);
    for (const c of doctorChecks) {
      expect(c.catalog?.length, c.id).toBeGreaterThan(0);
      expect(c.severity, c.id).toMatch(/^P[012]$/);
    }
  });
});

describe('rule helpers', () => {
  it('grants: wildcards, notActions and scope inheritance', () => {
    const g = [
      grant(`${SUB}/resourceGroups/net`, ['Microsoft.Network/*'], ['Microsoft.Network/virtualNetworks/subnets/write']),
    ];
    expect(grantsFor(g, 'Microsoft.Network/virtualNetworks/subnets/read', SUBNET)).toHaveLength(1);
    expect(grantsFor(g, 'Microsoft.Network/virtualNetworks/subnets/write', SUBNET)).toHaveLength(0);
    expect(grantsFor(g, 'Microsoft.Network/virtualNetworks/subnets/read', `${SUB}/resourceGroups/netx/x`)).toHaveLength(
      0,
    );
    expect(covers(SUB, SUBNET)).toBe(true);
    expect(covers(SUBNET, SUB)).toBe(false);
  });

  it.each([
    ['1.6.2', undefined],
    ['1.4.16', undefined],
    ['1.4.6', /known-bad/],
    ['1.4.4', /DuplicateVolumes/],
    ['1.3.0', /load-balancer/],
    ['1.4.10', /service association link/],
  ])('connector %s', (v, problem) => {
    const p = versionProblem(v);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeUndefined();
  });

  it('DaemonSets at risk and label selectors', () => {
    const ds = (spec: Record<string, unknown>) =>
      ({ spec: { template: { spec: { containers: [], ...spec } } } }) as never;
    expect(daemonSetAtRisk(ds({ tolerations: [{ operator: 'Exists' }] }))).toBe(true);
    expect(daemonSetAtRisk(ds({ tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] }))).toBe(false);
    expect(
      daemonSetAtRisk(
        ds({
          tolerations: [{ operator: 'Exists' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'type', operator: 'NotIn', values: ['virtual-kubelet'] }] },
                ],
              },
            },
          },
        }),
      ),
    ).toBe(false);
    expect(selects({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' })).toBe(false);
    expect(selects(undefined, {})).toBe(true);
  });
});
