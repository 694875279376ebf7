// ARM resource ids, read case-insensitively: AKS returns `resourcegroups`, portals return `resourceGroups`, and users
// paste either. Kept here until src/azure/ grows its own ids module; nothing in it is network-specific.

/** The parts of an ARM resource id; `types` and `names` pair up (`virtualNetworks`/`vnet1`, `subnets`/`aci`). */
export interface ResourceId {
  /** The id as given, without a trailing slash. */
  id: string;
  subscriptionId: string;
  resourceGroup?: string;
  /** Resource provider namespace, e.g. `Microsoft.Network`. */
  provider?: string;
  types: string[];
  names: string[];
  /** Full type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  type?: string;
  /** The last name, e.g. the subnet's. */
  name?: string;
  /** For an extension resource (`{scope}/providers/Microsoft.Authorization/...`), the id it extends. */
  scope?: string;
}

const eq = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** Splits an ARM id into subscription, group, provider and type/name pairs; undefined if it is not one. */
export function parseResourceId(id: string): ResourceId | undefined {
  const trimmed = id.trim().replace(/\/+$/, '');
  const segments = trimmed.split('/');
  // A leading slash gives an empty first segment; anything else is not an ARM id.
  if (segments[0] !== '' || !eq(segments[1], 'subscriptions') || !segments[2]) return undefined;
  const subscriptionId = segments[2];
  const resourceGroup = eq(segments[3], 'resourceGroups') ? segments[4] : undefined;
  if (eq(segments[3], 'resourceGroups') && !resourceGroup) return undefined;

  // The last `providers` segment names this resource's provider; anything before it is the extended scope.
  let at = -1;
  segments.forEach((s, i) => {
    if (i > 2 && eq(s, 'providers')) at = i;
  });
  const base = { id: trimmed, subscriptionId, ...(resourceGroup ? { resourceGroup } : {}) };
  if (at < 0) return { ...base, types: [], names: [] };

  const provider = segments[at + 1];
  const rest = segments.slice(at + 2);
  if (!provider || rest.length === 0 || rest.length % 2 !== 0 || rest.some((s) => s === '')) return undefined;
  const types = rest.filter((_, i) => i % 2 === 0);
  const names = rest.filter((_, i) => i % 2 === 1);
  const firstProvider = segments.findIndex((s, i) => i > 2 && eq(s, 'providers'));
  return {
    ...base,
    provider,
    types,
    names,
    type: [provider, ...types].join('/'),
    ...(names.length ? { name: names[names.length - 1] } : {}),
    ...(firstProvider < at ? { scope: segments.slice(0, at).join('/') } : {}),
  };
}

/** True when two ids name the same resource (ARM ids compare case-insensitively). */
export function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const norm = (id: string) => id.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/** The id of the resource that holds a child resource (a subnet's VNet), or undefined for a top-level one. */
export function parentResourceId(id: string): string | undefined {
  const parsed = parseResourceId(id);
  if (!parsed || parsed.types.length < 2) return undefined;
  return parsed.id.split('/').slice(0, -2).join('/');
}
