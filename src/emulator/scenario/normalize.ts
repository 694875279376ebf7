import type { Json } from '../arm/store.js';
import { ScenarioError } from './errors.js';
import type { CapabilityRow, ProviderSpec, Region, ResourceGroupSpec, Scenario, UsageRow } from './model.js';

const TOP_LEVEL = new Set([
  'description',
  'extends',
  'subscription',
  'pageSize',
  'resourceGroups',
  'providers',
  'capabilityProfiles',
  'usageProfiles',
  'regions',
  'resources',
  'kubernetes',
  'images',
  'activityLog',
  'directory',
  'without',
  'patch',
]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');

/** Maps merge key by key, recursively; anything else (scalars, arrays) is replaced by the child's value. */
function deepMerge(parent: unknown, child: unknown): unknown {
  if (!isObject(parent) || !isObject(child)) return child === undefined ? parent : child;
  const out: Json = { ...parent };
  for (const [k, v] of Object.entries(child)) out[k] = deepMerge(parent[k], v);
  return out;
}

/** Lists of keyed items merge by key: a child item replaces (resources) or is laid over (others) the parent's. */
function mergeByKey(parent: unknown, child: unknown, key: (item: Json) => string, overlay: boolean): unknown {
  if (!Array.isArray(parent) || !Array.isArray(child)) return child === undefined ? parent : child;
  const out = [...parent] as unknown[];
  for (const item of child) {
    const k = isObject(item) ? key(item) : '';
    const at = k === '' ? -1 : out.findIndex((p) => isObject(p) && key(p) === k);
    if (at < 0) out.push(item);
    else out[at] = overlay ? { ...(out[at] as Json), ...(item as Json) } : item;
  }
  return out;
}

const kubeKey = (o: Json): string => {
  const meta = isObject(o.metadata) ? o.metadata : {};
  return `${lower(o.kind)}/${lower(meta.namespace)}/${lower(meta.name)}`;
};

/** `kubernetes` as a map of cluster name → objects ('' = the only or first cluster, the flat-list form). */
const kubeByCluster = (v: unknown): Json => (Array.isArray(v) ? { '': v } : isObject(v) ? v : {});

/** Flat lists merge by kind/namespace/name; when either side is a per-cluster map, each cluster's list does. */
function mergeKubernetes(parent: unknown, child: unknown): unknown {
  if (!isObject(parent) && !isObject(child)) return mergeByKey(parent, child, kubeKey, false);
  const [p, c] = [kubeByCluster(parent), kubeByCluster(child)];
  const out: Json = { ...p };
  for (const [k, v] of Object.entries(c)) out[k] = mergeByKey(p[k], v, kubeKey, false);
  return out;
}

/**
 * `patch`: partial bodies laid deeply over the parent's resources of the same id, so a scenario that changes one
 * field of the cluster or the VNet does not restate the whole body. A patch whose id the parent lacks is an error.
 */
function applyPatches(resources: unknown, patches: unknown): unknown {
  if (patches === undefined) return resources;
  const list = Array.isArray(resources) ? [...resources] : [];
  if (!Array.isArray(patches)) throw new ScenarioError(undefined, `'patch' must be a list of {id, …} partial bodies`);
  for (const [i, p] of patches.entries()) {
    const at = isObject(p) ? list.findIndex((r) => isObject(r) && lower(r.id) === lower(p.id)) : -1;
    if (at < 0)
      throw new ScenarioError(undefined, `patch[${i}] names no resource of the parent scenario`, undefined, 'patch');
    list[at] = deepMerge(list[at], p);
  }
  return list;
}

/** Lays a child scenario (the one with `extends`) over its parent. The rules are in docs/emulator.md. */
export function mergeScenarios(parent: Json, child: Json): Json {
  const out: Json = { ...parent, ...child };
  delete out.extends;
  for (const k of ['subscription', 'providers', 'capabilityProfiles', 'usageProfiles'])
    out[k] = deepMerge(parent[k], child[k]);
  out.regions = mergeByKey(parent.regions, child.regions, (r) => lower(r.name), true);
  out.resourceGroups = mergeByKey(parent.resourceGroups, child.resourceGroups, (r) => lower(r.name), true);
  // `without`: ids of the parent's resources the child leaves out (an identity someone deleted, a grant removed).
  const without = new Set((Array.isArray(child.without) ? child.without : []).map(lower));
  delete out.without;
  const merged = mergeByKey(parent.resources, child.resources, (r) => lower(r.id), false);
  const kept = Array.isArray(merged) ? merged.filter((r) => !isObject(r) || !without.has(lower(r.id))) : merged;
  out.resources = applyPatches(kept, child.patch);
  delete out.patch;
  out.kubernetes = mergeKubernetes(parent.kubernetes, child.kubernetes);
  out.images = mergeByKey(parent.images, child.images, (r) => lower(r.image), false);
  out.directory = deepMerge(parent.directory, child.directory);
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Checks a merged scenario and resolves region profiles into rows. Throws with the file and the bad part named. */
export function normalizeScenario(raw: Json, name: string, source: string): Scenario {
  // The top-level key each problem is under (its first word), so the loader can point at its line.
  const bad = (what: string): never => {
    const key = /^'?([A-Za-z]+)/.exec(what)?.[1];
    throw new ScenarioError(source, what, undefined, key === 'region' ? 'regions' : key);
  };
  for (const k of Object.keys(raw))
    if (!TOP_LEVEL.has(k))
      throw new ScenarioError(source, `unknown key '${k}' (known: ${[...TOP_LEVEL].join(', ')})`, undefined, k);
  if (raw.patch !== undefined) bad(`patch needs 'extends': it changes the parent scenario's resources`);
  const sub = isObject(raw.subscription) ? raw.subscription : {};
  const pageSize = raw.pageSize ?? 100;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1)
    bad(`pageSize must be a positive integer, not ${JSON.stringify(pageSize)}`);
  return {
    name,
    description: typeof raw.description === 'string' ? raw.description : '',
    source,
    subscription: {
      id: String(sub.id ?? '00000000-0000-0000-0000-000000000000'),
      displayName: String(sub.displayName ?? 'vnodes emulator'),
      tenantId: String(sub.tenantId ?? '00000000-0000-0000-0000-000000000001'),
      state: String(sub.state ?? 'Enabled'),
    },
    resourceGroups: list(raw.resourceGroups, 'resourceGroups', bad).map((g, i) => resourceGroup(g, i, bad)),
    providers: providers(raw.providers, bad),
    regions: list(raw.regions, 'regions', bad).map((r, i) => region(r, i, raw, bad)),
    resources: list(raw.resources, 'resources', bad).map((r, i) =>
      typeof r.id === 'string' && r.id.startsWith('/') ? r : bad(`resources[${i}] has no 'id' starting with '/'`),
    ),
    pageSize: pageSize as number,
    ...kubernetes(raw.kubernetes, bad),
    images: list(raw.images, 'images', bad).map((r, i) =>
      typeof r.image === 'string' && typeof r.as === 'string' && r.image !== '' && r.as !== ''
        ? { image: r.image, as: r.as }
        : bad(`images[${i}] needs 'image' (a glob) and 'as' (an image)`),
    ),
    ...(raw.activityLog === undefined ? {} : { activityLog: list(raw.activityLog, 'activityLog', bad) }),
    ...directory(raw.directory, bad),
  };
}

/** `directory: {applications: [...], applicationReadDenied}`; each application needs its appId. */
function directory(value: unknown, bad: (what: string) => never): Pick<Scenario, 'directory'> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return bad('directory must be a map (applications, applicationReadDenied)');
  const applications = list(value.applications, 'directory.applications', bad).map((a, i) =>
    typeof a.appId === 'string' && a.appId !== '' ? a : bad(`directory.applications[${i}] has no 'appId'`),
  );
  return { directory: { applications, applicationReadDenied: value.applicationReadDenied === true } };
}

/** The flat list (objects of the only or first cluster) and the per-cluster lists of `kubernetes`. */
function kubernetes(
  value: unknown,
  bad: (what: string) => never,
): Pick<Scenario, 'kubernetes' | 'kubernetesByCluster'> {
  if (!isObject(value)) return { kubernetes: list(value, 'kubernetes', bad) };
  const byCluster: Record<string, Json[]> = {};
  for (const [cluster, objects] of Object.entries(value)) {
    if (cluster !== '') byCluster[cluster] = list(objects, `kubernetes.${cluster}`, bad);
  }
  return { kubernetes: list(value[''], 'kubernetes', bad), kubernetesByCluster: byCluster };
}

function list(value: unknown, key: string, bad: (what: string) => never): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return bad(`'${key}' must be a list`);
  return value.map((item, i) => (isObject(item) ? item : bad(`${key}[${i}] must be a mapping`)));
}

function resourceGroup(g: Json, i: number, bad: (what: string) => never): ResourceGroupSpec {
  if (typeof g.name !== 'string' || typeof g.location !== 'string')
    bad(`resourceGroups[${i}] needs a name and a location`);
  return {
    name: g.name as string,
    location: g.location as string,
    ...(isObject(g.tags) ? { tags: g.tags as Record<string, string> } : {}),
  };
}

function providers(value: unknown, bad: (what: string) => never): Record<string, ProviderSpec> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return bad(`'providers' must map a namespace to its registration`);
  const out: Record<string, ProviderSpec> = {};
  for (const [ns, spec] of Object.entries(value)) {
    if (!isObject(spec)) return bad(`providers.${ns} must be a mapping`);
    const registering = isObject(spec.registering) ? spec.registering : undefined;
    out[ns] = {
      registrationState: typeof spec.registrationState === 'string' ? spec.registrationState : 'Registered',
      ...(typeof spec.registrationPolicy === 'string' ? { registrationPolicy: spec.registrationPolicy } : {}),
      ...(registering ? { registering: { reads: num(registering.reads), ms: num(registering.ms) } } : {}),
      ...(Array.isArray(spec.resourceTypes) ? { resourceTypes: spec.resourceTypes as Json[] } : {}),
    };
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function region(r: Json, i: number, raw: Json, bad: (what: string) => never): Region {
  if (typeof r.name !== 'string') return bad(`regions[${i}] has no name`);
  const displayName = typeof r.displayName === 'string' ? r.displayName : r.name;
  const rows = (key: 'capabilities' | 'usages', profilesKey: string): Json[] => {
    const value = r[key] ?? [];
    if (typeof value === 'string') {
      const profiles = isObject(raw[profilesKey]) ? raw[profilesKey] : {};
      const profile = profiles[value];
      if (!Array.isArray(profile)) return bad(`region ${r.name}: ${key} profile '${value}' is not in ${profilesKey}`);
      return profile as Json[];
    }
    return Array.isArray(value)
      ? (value as Json[])
      : bad(`region ${r.name}: ${key} must be a profile name or a list of rows`);
  };
  return {
    name: r.name,
    displayName,
    // Rows from a profile carry no location: they take the region's display name, as ARM fills it.
    capabilities: rows('capabilities', 'capabilityProfiles').map(
      (row) => ({ ...row, location: row.location ?? displayName }) as CapabilityRow,
    ),
    usages: rows('usages', 'usageProfiles') as UsageRow[],
  };
}
