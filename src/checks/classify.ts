// The classifier of research/pain.md §2.1: error text from connector logs, pod `status.message` and events → the
// cause, the check that covers it and the fix. Kept as data (first match wins, most specific first), so a new
// message is one row; the table test quotes the real texts.

/** One row: a case-insensitive pattern and what it means. */
export interface Classification {
  /** A short name of the cause ("identity lacks VNet rights"). */
  cause: string;
  /** The doctor check that covers it (`identity.subnet-role`), or a lint rule id. */
  check: string;
  catalog: string;
  /** The fix, with {cluster} {group} {nodeGroup} {subnet} {pod} {namespace} placeholders. */
  fix: string;
}

interface Row extends Classification {
  pattern: RegExp;
}

const ENABLE = 'vnodes enable --cluster {cluster} -g {group}';
const RESTART = 'kubectl -n kube-system rollout restart deploy/aci-connector-linux';
const DELETE_POD = 'kubectl delete pod -n {namespace} {pod}';

const ROWS: readonly Row[] = [
  {
    pattern: /MissingSubscriptionRegistration/i,
    cause: 'the Microsoft.ContainerInstance resource provider is not registered',
    check: 'region.provider-registered',
    catalog: 'VN-RP-001',
    fix: `vnodes doctor --cluster {cluster} -g {group} --fix (registers it), or az provider register --namespace Microsoft.ContainerInstance --wait; then ${DELETE_POD}`,
  },
  {
    // IMDS answers a token request for a user-assigned identity that was deleted with 400 "Identity not found"
    // (Azure/aad-pod-identity#880 quotes it); before the subnet rows, since the line also says "looking up subnet".
    pattern: /Identity not found/i,
    cause: 'the add-on identity was deleted: the connector cannot get a token',
    check: 'identity.exists',
    catalog: 'VN-ID-001',
    fix: 'vnodes disable --cluster {cluster} -g {group}, then vnodes enable --cluster {cluster} -g {group} (AKS creates a new identity)',
  },
  {
    pattern: /LinkedAuthorizationFailed.*subnets\/join\/action/i,
    cause: 'the identity may not join container groups to the subnet',
    check: 'identity.subnet-role',
    catalog: 'VN-ID-001',
    fix: `${ENABLE} (grants Network Contributor on the subnet), then ${RESTART}`,
  },
  {
    pattern: /AuthorizationFailed.*Microsoft\.ContainerInstance/i,
    cause: 'the identity may not manage container groups in the node resource group',
    check: 'identity.aci-role',
    catalog: 'VN-ID-002',
    fix: 'az role assignment create --assignee-object-id <objectId> --assignee-principal-type ServicePrincipal --role Contributor --scope /subscriptions/<subscription>/resourceGroups/{nodeGroup}',
  },
  {
    pattern: /AuthorizationFailed.*Microsoft\.Network|error while looking up subnet/i,
    cause: 'the add-on identity lacks rights on the ACI subnet',
    check: 'identity.subnet-role',
    catalog: 'VN-ID-001',
    fix: `${ENABLE} (grants Network Contributor on the subnet), then ${RESTART}`,
  },
  {
    pattern: /is not found in vnet .* and subnet CIDR is not specified|GetSubnetError/i,
    cause: 'the ACI subnet does not exist (or a resource id was given as its name)',
    check: 'network.subnet-exists',
    catalog: 'VN-SUB-001',
    fix: 'vnodes subnet create --cluster {cluster} -g {group} --name {subnet}',
  },
  {
    pattern: /found subnet .* using different CIDR/i,
    cause: 'the subnet exists with another CIDR than the connector was given',
    check: 'network.subnet-exists',
    catalog: 'VN-SUB-001',
    fix: 'Give the connector the subnet CIDR it has (Helm: --set aciSubnetCidr), or use another subnet name.',
  },
  {
    pattern: /references the route table/i,
    cause: 'the ACI subnet has a route table',
    check: 'network.subnet-route-table',
    catalog: 'VN-SUB-003',
    fix: 'az network vnet subnet update -g <vnet-group> --vnet-name <vnet> -n {subnet} --remove routeTable (use a NAT gateway for egress)',
  },
  {
    pattern: /SubnetDelegationsCannotChangeWhenSubnetUsedByResource|used by other Azure resource/i,
    cause: 'the ACI subnet is shared with other resources',
    check: 'network.subnet-dedicated',
    catalog: 'VN-SUB-002',
    fix: 'vnodes subnet create --cluster {cluster} -g {group} --name <new-subnet>, then re-enable the add-on on it',
  },
  {
    pattern: /SubnetMissingRequiredDelegation/i,
    cause: 'the ACI subnet is not delegated to Microsoft.ContainerInstance/containerGroups',
    check: 'network.subnet-delegation',
    catalog: 'VN-SUB-004',
    fix: 'vnodes subnet create --cluster {cluster} -g {group} --name {subnet} (adopts and delegates an empty subnet)',
  },
  {
    pattern: /ServiceAssociationLinkNotReady/i,
    cause: "ACI's service association link was not ready (a race in older connectors)",
    check: 'node.version',
    catalog: 'VN-VER-001',
    fix: DELETE_POD,
  },
  {
    pattern: /AADSTS7000222|AADSTS7000215|invalid_client/i,
    cause: "the cluster's service principal secret is expired or wrong",
    check: 'identity.service-principal',
    catalog: 'VN-SP-001',
    fix: 'az aks update-credentials -g {group} -n {cluster} --reset-service-principal --service-principal <appId> --client-secret <new-secret>',
  },
  {
    pattern: /RequestDisallowedByPolicy|disallowed by policy/i,
    cause: 'an Azure Policy assignment denies the container group',
    check: 'policy.azure-deny',
    catalog: 'VN-POL-001',
    fix: 'az policy assignment list --scope /subscriptions/<subscription>/resourceGroups/{nodeGroup} -o table; exempt the node resource group or adjust the policy',
  },
  {
    pattern: /Region .* is invalid/i,
    cause: "the connector does not know the cluster's region",
    check: 'region.vnet',
    catalog: 'VN-REG-001',
    fix: 'vnodes check-region --all lists the regions where ACI supports VNet deployment.',
  },
  {
    pattern: /ServiceUnavailable.*not available in the location/i,
    cause: 'ACI has no capacity for this size in the region',
    check: 'region.quota-cores',
    catalog: 'VN-QUOTA-001',
    fix: 'Lower the pod requests, or retry later; vnodes check-region --location <region> --cpu N --memory GB',
  },
  {
    pattern: /quota .* exceeded|ContainerGroupQuotaReached|QuotaExceeded/i,
    cause: 'the ACI quota of the region is used up',
    check: 'region.quota-container-groups',
    catalog: 'VN-QUOTA-001',
    fix: 'Request an ACI quota increase (Azure portal → Quotas → Container Instances) for the region.',
  },
  {
    pattern: /ContainerLimitGreaterThanContainerGroupTotalRequest/i,
    cause: 'container limits exceed requests',
    check: 'LNT-RES-002',
    catalog: 'LNT-RES-002',
    fix: 'Set resources.limits equal to resources.requests: vnodes lint on the manifest shows where.',
  },
  {
    pattern:
      /InvalidRequestContent.*imageRegistryCredentials|no username present in auth config|image pull secret type is not one of/i,
    cause: 'the image pull secret is malformed',
    check: 'pods.acr-pull-secret',
    catalog: 'VN-ACR-001',
    fix: 'kubectl create secret docker-registry <name> --docker-server=<registry>.azurecr.io --docker-username=<user> --docker-password=<password> (no https://)',
  },
  {
    pattern: /InaccessibleImage|RegistryErrorResponse|Failed to pull image/i,
    cause: 'ACI cannot pull the image (registry auth or reachability)',
    check: 'pods.acr-pull-secret',
    catalog: 'VN-ACR-001',
    fix: 'kubectl create secret docker-registry <name> --docker-server=<registry> ... and reference it in imagePullSecrets',
  },
  {
    pattern: /unsupported fieldPath/i,
    cause: 'a downward API env var ACI does not support',
    check: 'LNT-ENV-001',
    catalog: 'LNT-ENV-001',
    fix: 'Remove status.podIP/spec.nodeName-style fieldRefs from env: vnodes lint shows them.',
  },
  {
    pattern: /requires volume .* which is of an unsupported type/i,
    cause: 'a volume type ACI does not support',
    check: 'LNT-VOL-001',
    catalog: 'LNT-VOL-001',
    fix: 'Use emptyDir, secret, configMap or Azure Files volumes: vnodes lint shows which.',
  },
  {
    pattern: /ACI does not support providing args without specifying the command/i,
    cause: 'args without command',
    check: 'LNT-CMD-001',
    catalog: 'LNT-CMD-001',
    fix: "Set the container's command alongside its args.",
  },
  {
    pattern: /ACI does not support lifecycle hooks|startupProbe/i,
    cause: 'lifecycle hooks or startup probes',
    check: 'LNT-LC-001',
    catalog: 'LNT-LC-001',
    fix: 'Remove lifecycle hooks and startupProbe for pods on the virtual node.',
  },
  {
    pattern: /initContainers do not support/i,
    cause: 'an init container feature ACI does not support',
    check: 'LNT-INIT-002',
    catalog: 'LNT-INIT-002',
    fix: 'Remove ports, resources and probes from init containers.',
  },
  {
    pattern: /probe must specify one of "exec" and "httpGet"|unable to find named port/i,
    cause: 'a probe type ACI does not support',
    check: 'LNT-PRB-001',
    catalog: 'LNT-PRB-001',
    fix: 'Use exec or httpGet probes with numeric ports.',
  },
  {
    pattern: /the pod requires GPU/i,
    cause: 'a GPU request (ACI GPU is retired)',
    check: 'LNT-RES-004',
    catalog: 'LNT-RES-004',
    fix: 'Run GPU pods on a GPU node pool.',
  },
  {
    pattern: /DuplicateVolumes/i,
    cause: 'a bug of connectors older than 1.4.5',
    check: 'node.version',
    catalog: 'VN-VER-001',
    fix: 'AKS rolls add-on versions out; see azure-aci docs/DOWNGRADE-README.md if blocked.',
  },
  {
    pattern: /panic: runtime error: invalid memory address[\s\S]*vk_node\.go|vk_node\.go[\s\S]*invalid memory address/i,
    cause: 'the provider failed to initialise earlier (this panic follows that error)',
    check: 'connector.running',
    catalog: 'VN-POD-001',
    fix: 'kubectl logs -n kube-system deploy/aci-connector-linux --previous: read the lines before the panic',
  },
  {
    pattern: /unknown \(get configmaps\)|is forbidden: User "system:serviceaccount/i,
    cause: "the connector's service account lacks Kubernetes RBAC (Helm installs)",
    check: 'connector.running',
    catalog: 'VN-POD-001',
    fix: 'Reinstall the chart with rbac.install=true, or bind the connector service account to its ClusterRole.',
  },
  {
    pattern: /ServerTimeout|InternalServerError/i,
    cause: 'a transient Azure error',
    check: 'pods.failed',
    catalog: 'VN-WL-001',
    fix: `Retry: ${DELETE_POD}`,
  },
  {
    pattern: /Temporary failure resolving|no servers could be reached/i,
    cause: 'DNS inside ACI fails (kube-proxy sidecar cannot reach the API server)',
    check: 'network.authorized-ip-ranges',
    catalog: 'VN-API-001',
    fix: 'Check network.authorized-ip-ranges, network.private-cluster and network.subnet-egress in this report.',
  },
];

/** The first row matching the text, or undefined: unclassified text is shown verbatim. */
export function classify(text: string | undefined): Classification | undefined {
  if (!text) return undefined;
  const row = ROWS.find((r) => r.pattern.test(text));
  if (!row) return undefined;
  const { pattern: _pattern, ...classification } = row;
  return classification;
}

/** Names to fill into a fix. */
export interface FixNames {
  cluster: string;
  group: string;
  nodeGroup?: string;
  subnet?: string;
  pod?: string;
  namespace?: string;
}

/** The fix with the names filled in (placeholders the names do not give stay as <...>). */
export function fixFor(c: Classification, n: FixNames): string {
  const values: Record<string, string | undefined> = {
    cluster: n.cluster,
    group: n.group,
    nodeGroup: n.nodeGroup,
    subnet: n.subnet,
    pod: n.pod,
    namespace: n.namespace,
  };
  return c.fix.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? `<${key}>`);
}

/** The most telling line of a log: the last fatal/error line, else the last non-empty line. */
export function tellingLine(log: string | undefined): string | undefined {
  if (!log) return undefined;
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  const classified = [...lines].reverse().find((l) => classify(l));
  if (classified) return classified;
  return [...lines].reverse().find((l) => /level=(fatal|error)|panic|error/i.test(l)) ?? lines.at(-1);
}
