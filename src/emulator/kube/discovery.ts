// Discovery documents: /version, /api, /apis, /apis/<group>, and the per-group-version resource lists, in both
// the classic form and the aggregated form (apidiscovery.k8s.io/v2) that kubectl asks for first.
import { groupVersion, verbsOf, type ResourceType } from './resources.js';
import type { TypeRegistry } from './type-registry.js';

/** What /version reports. */
export interface KubeVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export const DEFAULT_VERSION: KubeVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

export const versionDocument = (v: KubeVersion): object => ({
  ...v,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
});

/** The media type of aggregated discovery, which clients request first and recognise by Content-Type. */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Verbs of each subresource the emulator serves. */
const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  log: ['get'],
  binding: ['create'],
  scale: ['get', 'patch', 'update'],
};
const subresourceKind = (t: ResourceType, sub: string): string =>
  sub === 'binding' ? 'Binding' : sub === 'scale' ? 'Scale' : t.kind;
/** The group/version a subresource answers in when not its resource's: bindings are core, scales autoscaling/v1. */
const subresourceGroup = (sub: string, group: string, version: string): { group: string; version: string } =>
  sub === 'binding'
    ? { group: '', version }
    : sub === 'scale'
      ? { group: 'autoscaling', version: 'v1' }
      : { group, version };

const typesIn = (types: TypeRegistry, group: string, version: string): ResourceType[] =>
  types.all().filter((t) => t.group === group && t.version === version);

/** APIResourceList for one group/version (`/api/v1`, `/apis/apps/v1`), or undefined if not served. */
export const resourceList = (registry: TypeRegistry, group: string, version: string): object | undefined => {
  const types = typesIn(registry, group, version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((t) => [
    {
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: verbsOf(t),
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length > 0 ? { categories: t.categories } : {}),
    },
    ...t.subresources.map((sub) => ({
      name: `${t.resource}/${sub}`,
      singularName: '',
      namespaced: t.namespaced,
      kind: subresourceKind(t, sub),
      ...(sub === 'scale' ? subresourceGroup(sub, group, version) : {}),
      verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
};

/** `/api`: the core group's versions. */
export const coreVersions = (serverAddress: string): object => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
});

const groupDocument = (group: string, versions: string[]): object => {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
};

/** `/apis`: the named groups. */
export const groupList = (types: TypeRegistry): object => ({
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: types
    .groups()
    .filter((g) => g.group !== '')
    .map((g) => groupDocument(g.group, g.versions)),
});

/** `/apis/<group>`, or undefined if the group is not served. */
export const groupOf = (types: TypeRegistry, group: string): object | undefined => {
  const found = types.groups().find((g) => g.group === group && g.group !== '');
  return found === undefined
    ? undefined
    : { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(found.group, found.versions) };
};

const aggregatedGroup = (registry: TypeRegistry, group: string, versions: string[]): object => ({
  metadata: { name: group, creationTimestamp: null },
  versions: versions.map((version) => ({
    version,
    freshness: 'Current',
    resources: typesIn(registry, group, version).map((t) => ({
      resource: t.resource,
      responseKind: { group, version, kind: t.kind },
      scope: t.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: t.singular,
      verbs: verbsOf(t),
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length > 0 ? { categories: t.categories } : {}),
      subresources: t.subresources.map((sub) => ({
        subresource: sub,
        responseKind: { ...subresourceGroup(sub, group, version), kind: subresourceKind(t, sub) },
        verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
      })),
    })),
  })),
});

/** Aggregated discovery for `/api` (core only) or `/apis` (named groups): every resource in one document. */
export const aggregatedDiscovery = (types: TypeRegistry, core: boolean): object => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items: types
    .groups()
    .filter((g) => (g.group === '') === core)
    .map((g) => aggregatedGroup(types, g.group, g.versions)),
});

/** Whether an Accept header asks for aggregated discovery (v2) before anything else it accepts. */
export const wantsAggregated = (accept: string | undefined): boolean =>
  (accept ?? '')
    .split(',')
    .some((m) => /g=apidiscovery\.k8s\.io/.test(m) && /v=v2(?!beta)/.test(m) && /as=APIGroupDiscoveryList/.test(m));
