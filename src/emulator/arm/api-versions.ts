/**
 * The one table of namespaces, resource types and api-versions the emulator serves. It covers what the installed
 * SDKs send (arm-resources 2025-04-01, arm-containerinstance 2023-05-01, arm-network 2026-01-01 (+2018-10-01),
 * arm-containerservice 2026-04-01 / 2026-06-01, arm-authorization 2015-07-01 / 2020-10-01 / 2022-04-01) and the
 * older versions the Azure CLI 2.45 era sends (managed clusters 2022-11-01, network 2022-07-01, resources 2021-04-01,
 * subscriptions 2022-12-01). A type not listed here is unknown (404 InvalidResourceType), as in ARM.
 */

/** One namespace: its versions (shared by its types unless a type lists its own) and its types. */
export interface NamespaceSpec {
  namespace: string;
  /** Versions every type of the namespace accepts unless it has its own list. */
  versions: readonly string[];
  /** Type (without namespace) → its own versions, or null for the namespace's. */
  types: Readonly<Record<string, readonly string[] | null>>;
  /** ARM itself serves these types: an unsupported api-version is InvalidApiVersionParameter, not NoRegisteredProviderFound. */
  armNative?: boolean;
  /** Registration is never required (Microsoft.Resources, Microsoft.Authorization). */
  registrationFree?: boolean;
}

const RESOURCES = [
  '2019-05-01',
  '2019-05-10',
  '2019-07-01',
  '2019-08-01',
  '2019-10-01',
  '2020-06-01',
  '2020-08-01',
  '2020-10-01',
  '2021-01-01',
  '2021-04-01',
  '2022-09-01',
  '2023-07-01',
  '2024-03-01',
  '2024-07-01',
  '2024-11-01',
  '2025-03-01',
  '2025-04-01',
];
const SUBSCRIPTIONS = [
  '2016-06-01',
  '2018-06-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2021-01-01',
  '2022-12-01',
];
const CONTAINER_INSTANCE = [
  '2018-10-01',
  '2019-12-01',
  '2020-11-01',
  '2021-03-01',
  '2021-07-01',
  '2021-09-01',
  '2021-10-01',
  '2022-09-01',
  '2022-10-01-preview',
  '2023-02-01-preview',
  '2023-05-01',
  '2024-05-01-preview',
  '2024-10-01-preview',
  '2025-09-01',
  '2026-07-01',
];
const NETWORK = [
  '2018-10-01',
  '2018-11-01',
  '2018-12-01',
  '2019-02-01',
  '2019-04-01',
  '2019-06-01',
  '2019-07-01',
  '2019-08-01',
  '2019-09-01',
  '2019-11-01',
  '2019-12-01',
  '2020-03-01',
  '2020-04-01',
  '2020-05-01',
  '2020-06-01',
  '2020-07-01',
  '2020-08-01',
  '2020-11-01',
  '2021-02-01',
  '2021-03-01',
  '2021-05-01',
  '2021-08-01',
  '2022-01-01',
  '2022-05-01',
  '2022-07-01',
  '2022-09-01',
  '2022-11-01',
  '2023-02-01',
  '2023-04-01',
  '2023-05-01',
  '2023-06-01',
  '2023-09-01',
  '2023-11-01',
  '2024-01-01',
  '2024-03-01',
  '2024-05-01',
  '2024-07-01',
  '2024-10-01',
  '2025-01-01',
  '2025-03-01',
  '2025-05-01',
  '2026-01-01',
];
const CONTAINER_SERVICE = [
  '2022-09-01',
  '2022-11-01',
  '2023-01-01',
  '2023-02-01',
  '2023-03-01',
  '2023-04-01',
  '2023-05-01',
  '2023-06-01',
  '2023-07-01',
  '2023-08-01',
  '2023-09-01',
  '2023-10-01',
  '2023-11-01',
  '2024-01-01',
  '2024-02-01',
  '2024-05-01',
  '2024-07-01',
  '2024-08-01',
  '2024-09-01',
  '2024-10-01',
  '2025-01-01',
  '2025-02-01',
  '2025-03-01',
  '2025-04-01',
  '2025-05-01',
  '2025-06-01',
  '2025-07-01',
  '2025-08-01',
  '2025-09-01',
  '2025-10-01',
  '2026-01-01',
  '2026-02-01',
  '2026-03-01',
  '2026-04-01',
  '2026-06-01',
];
const AUTHORIZATION = ['2015-07-01', '2018-01-01-preview', '2020-10-01', '2022-04-01'];
const ROLE_ASSIGNMENTS = [
  '2015-07-01',
  '2018-01-01-preview',
  '2018-09-01-preview',
  '2020-03-01-preview',
  '2020-04-01-preview',
  '2020-08-01-preview',
  '2020-10-01-preview',
  '2022-01-01-preview',
  '2022-04-01',
];
// Microsoft.ContainerRegistry/registries: the GA versions of the REST reference (Registries_List, Registries_Get).
const CONTAINER_REGISTRY = ['2019-05-01', '2021-09-01', '2022-12-01', '2023-07-01', '2025-04-01', '2025-11-01'];
const MANAGED_IDENTITY = [
  '2015-08-31-preview',
  '2018-11-30',
  '2021-09-30-preview',
  '2022-01-31-preview',
  '2023-01-31',
  '2023-07-31-preview',
  '2024-11-30',
];

/**
 * `GET /metadata/endpoints`, the cloud metadata document (no resource type): 2015-01-01 answers the single-cloud
 * object `az cloud register --endpoint-resource-manager` reads; 2019-05-01 and later the list of clouds (2022-09-01
 * adds `microsoftGraphResourceId` and the other resource ids).
 */
export const METADATA_ENDPOINTS = ['2015-01-01', '2019-05-01', '2020-06-01', '2022-09-01'];

/** Types every resource provider has for its regional operation status URLs. */
const LOCATION_OPERATIONS = { 'locations/operations': null, 'locations/operationResults': null } as const;

/** The table. Namespaces are matched case-insensitively. */
export const NAMESPACES: readonly NamespaceSpec[] = [
  {
    namespace: 'Microsoft.Resources',
    versions: RESOURCES,
    armNative: true,
    registrationFree: true,
    types: {
      subscriptions: [...SUBSCRIPTIONS, ...RESOURCES],
      tenants: SUBSCRIPTIONS,
      locations: SUBSCRIPTIONS,
      resourceGroups: null,
      providers: null,
      resources: null,
      ...LOCATION_OPERATIONS,
    },
  },
  {
    namespace: 'Microsoft.ContainerInstance',
    versions: CONTAINER_INSTANCE,
    types: {
      containerGroups: null,
      'containerGroups/containers': null,
      serviceAssociationLinks: null,
      locations: null,
      'locations/capabilities': null,
      'locations/usages': null,
      'locations/cachedImages': null,
      ...LOCATION_OPERATIONS,
    },
  },
  {
    namespace: 'Microsoft.Network',
    versions: NETWORK,
    types: {
      virtualNetworks: null,
      'virtualNetworks/subnets': null,
      'virtualNetworks/subnets/serviceAssociationLinks': null,
      'virtualNetworks/virtualNetworkPeerings': null,
      networkSecurityGroups: null,
      routeTables: null,
      natGateways: null,
      publicIPAddresses: null,
      networkInterfaces: null,
      loadBalancers: null,
      'locations/availableDelegations': null,
      ...LOCATION_OPERATIONS,
    },
  },
  {
    namespace: 'Microsoft.ContainerService',
    versions: CONTAINER_SERVICE,
    types: {
      managedClusters: null,
      'managedClusters/agentPools': null,
      'locations/kubernetesVersions': null,
      ...LOCATION_OPERATIONS,
    },
  },
  {
    namespace: 'Microsoft.Authorization',
    versions: AUTHORIZATION,
    registrationFree: true,
    types: {
      roleAssignments: ROLE_ASSIGNMENTS,
      roleDefinitions: ['2015-07-01', '2018-01-01-preview', '2022-04-01', '2022-05-01-preview'],
      permissions: null,
      locks: ['2016-09-01', '2020-05-01'],
      policyAssignments: ['2022-06-01', '2023-04-01'],
      policyDefinitions: ['2021-06-01', '2022-06-01', '2023-04-01'],
      policySetDefinitions: ['2021-06-01', '2022-06-01', '2023-04-01'],
    },
  },
  {
    // The Activity Log (ActivityLogs_List), registered in every subscription.
    namespace: 'Microsoft.Insights',
    versions: ['2015-04-01'],
    registrationFree: true,
    types: { eventtypes: null, 'eventtypes/values': null },
  },
  {
    // Cluster extensions (virtual nodes v2 is `microsoft.virtualnodes`), an extension resource of a managed cluster.
    namespace: 'Microsoft.KubernetesConfiguration',
    versions: ['2022-11-01', '2023-05-01'],
    types: { extensions: null, ...LOCATION_OPERATIONS },
  },
  {
    namespace: 'Microsoft.ContainerRegistry',
    versions: CONTAINER_REGISTRY,
    types: { registries: null, ...LOCATION_OPERATIONS },
  },
  {
    namespace: 'Microsoft.ManagedIdentity',
    versions: MANAGED_IDENTITY,
    types: { userAssignedIdentities: null, identities: null, ...LOCATION_OPERATIONS },
  },
];

/** Fields a type's api-versions up to `through` do not have. */
export interface VersionedFields {
  through: string;
  /** Dot paths below the resource body; `[]` walks every item of an array ('properties.permissions[].dataActions'). */
  paths: readonly string[];
}

/**
 * Where a type's shape differs by api-version, checked against the Azure SDK for Python models of those versions
 * (what the Azure CLI 2.45 deserialises with). At an api-version up to `through` these fields are left out of
 * responses, and a PUT at such a version keeps their stored values, since the client could not send them (an Azure CLI
 * 2.45 PUT of a cluster at 2022-11-01 keeps its `supportPlan`, as AKS keeps it). Types not listed answer one shape.
 */
export const VERSIONED_FIELDS: Readonly<Record<string, readonly VersionedFields[]>> = {
  'Microsoft.ContainerService/managedClusters': [
    {
      through: '2022-11-01',
      paths: [
        'properties.supportPlan',
        'properties.networkProfile.networkDataplane',
        'properties.networkProfile.networkPluginMode',
      ],
    },
  ],
  'Microsoft.Authorization/roleAssignments': [
    { through: '2015-07-01', paths: ['properties.canDelegate'] },
    { through: '2018-01-01-preview', paths: ['properties.principalType'] },
    {
      through: '2018-09-01-preview',
      paths: [
        'properties.condition',
        'properties.conditionVersion',
        'properties.createdOn',
        'properties.updatedOn',
        'properties.createdBy',
        'properties.updatedBy',
        'properties.delegatedManagedIdentityResourceId',
        'properties.description',
      ],
    },
  ],
  'Microsoft.Authorization/roleDefinitions': [
    {
      through: '2015-07-01',
      paths: ['properties.permissions[].dataActions', 'properties.permissions[].notDataActions'],
    },
  ],
  'Microsoft.Resources/subscriptions': [
    { through: '2016-06-01', paths: ['tenantId'] },
    { through: '2018-06-01', paths: ['managedByTenants'] },
    { through: '2019-06-01', paths: ['tags'] },
  ],
  'Microsoft.Resources/tenants': [
    { through: '2018-06-01', paths: ['tenantCategory', 'displayName', 'domains', 'country', 'countryCode'] },
  ],
};

/** Orders api-versions by date; a preview sorts before the stable version of the same date. */
export function compareApiVersions(a: string, b: string): number {
  const [dateA, dateB, stageA, stageB] = [a.slice(0, 10), b.slice(0, 10), a.slice(10), b.slice(10)];
  if (dateA !== dateB) return dateA < dateB ? -1 : 1;
  if (stageA === stageB) return 0;
  if (stageA === '' || stageB === '') return stageA === '' ? 1 : -1;
  return stageA < stageB ? -1 : 1;
}

const byNamespace = new Map(NAMESPACES.map((n) => [n.namespace.toLowerCase(), n]));

/** The namespace's entry, or undefined when no provider serves it. */
export const namespaceSpec = (namespace: string): NamespaceSpec | undefined => byNamespace.get(namespace.toLowerCase());

/** What the table says about a full type ('Microsoft.Network/virtualNetworks/subnets'). */
export interface TypeSpec {
  namespace: NamespaceSpec;
  /** The type without namespace, in the table's casing. */
  type: string;
  versions: readonly string[];
}

/** Looks a full type up; undefined when the namespace or the type is unknown. */
export function typeSpec(fullType: string): TypeSpec | undefined {
  const slash = fullType.indexOf('/');
  const ns = namespaceSpec(slash < 0 ? fullType : fullType.slice(0, slash));
  if (ns === undefined || slash < 0) return undefined;
  const wanted = fullType.slice(slash + 1).toLowerCase();
  for (const [type, versions] of Object.entries(ns.types)) {
    if (type.toLowerCase() === wanted) return { namespace: ns, type, versions: versions ?? ns.versions };
  }
  return undefined;
}

/** The type in the table's casing ('microsoft.network/VIRTUALNETWORKS' → 'Microsoft.Network/virtualNetworks'). */
export function canonicalType(fullType: string): string {
  const spec = typeSpec(fullType);
  return spec === undefined ? fullType : `${spec.namespace.namespace}/${spec.type}`;
}
