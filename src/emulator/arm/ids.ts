/**
 * ARM resource ids and request paths, parsed the way ARM reads them: segments are matched case-insensitively,
 * `providers/{namespace}` starts a type chain of `{type}/{name}` pairs, and a second `providers/` inside the chain
 * starts an extension resource whose scope is everything before it.
 */

/** What a request path addresses: one resource, or a collection of a type under a scope. */
export interface ArmPath {
  /** Decoded segments of the path, as sent. */
  segments: string[];
  subscriptionId: string | undefined;
  resourceGroup: string | undefined;
  /** Namespace that owns the addressed type ('Microsoft.Network'); 'Microsoft.Resources' for ARM's own types. */
  namespace: string;
  /** Full type: 'Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Resources/resourceGroups'. */
  resourceType: string;
  /** Name of the addressed resource; undefined when the path ends in a type segment (a collection, or an action). */
  name: string | undefined;
  /** The path as an id ('/subscriptions/…', casing as sent, no trailing slash). */
  id: string;
  /** Id of what the resource or collection hangs off: a resource group, a parent resource, a scope. '' at tenant. */
  parentId: string;
}

const eq = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** The lower-cased key ARM ids are compared by. */
export const idKey = (id: string): string => id.toLowerCase().replace(/\/+$/, '');

/** Splits a URL path (no query) into decoded segments; undefined when a segment is not valid percent-encoding. */
export function splitPath(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

const joinId = (segments: readonly string[]): string => (segments.length === 0 ? '' : `/${segments.join('/')}`);

function builtIn(
  segments: string[],
  end: number,
  type: string,
  name: string | undefined,
  scope: { subscriptionId?: string; resourceGroup?: string },
): ArmPath {
  return {
    segments,
    subscriptionId: scope.subscriptionId,
    resourceGroup: scope.resourceGroup,
    namespace: 'Microsoft.Resources',
    resourceType: `Microsoft.Resources/${type}`,
    name,
    id: joinId(segments.slice(0, end)),
    parentId: joinId(segments.slice(0, name === undefined ? end - 1 : end - 2)),
  };
}

/**
 * Parses a request path or resource id. Returns undefined for paths that are not ARM resource paths
 * (e.g. `/subscriptions/s/foo`).
 */
export function parseArmPath(pathOrSegments: string | string[]): ArmPath | undefined {
  const s = typeof pathOrSegments === 'string' ? splitPath(pathOrSegments) : pathOrSegments;
  if (s === undefined || s.length === 0) return undefined;
  const scope: { subscriptionId?: string; resourceGroup?: string } = {};
  let i = 0;
  if (eq(s[0], 'subscriptions')) {
    if (s.length === 1) return builtIn(s, 1, 'subscriptions', undefined, scope);
    scope.subscriptionId = s[1];
    if (s.length === 2) return builtIn(s, 2, 'subscriptions', s[1], scope);
    i = 2;
    if (eq(s[2], 'resourceGroups')) {
      if (s.length === 3) return builtIn(s, 3, 'resourceGroups', undefined, scope);
      scope.resourceGroup = s[3];
      if (s.length === 4) return builtIn(s, 4, 'resourceGroups', s[3], scope);
      i = 4;
    } else if (eq(s[2], 'locations') && s.length <= 4) {
      return builtIn(s, s.length, 'locations', s[3], scope);
    }
    if (eq(s[i], 'resources') && s.length === i + 1) return builtIn(s, i + 1, 'resources', undefined, scope);
  } else if (eq(s[0], 'tenants') && s.length <= 2) {
    return builtIn(s, s.length, 'tenants', s[1], scope);
  }
  if (!eq(s[i], 'providers')) return undefined;
  if (s.length === i + 1) return builtIn(s, i + 1, 'providers', undefined, scope);
  if (s.length === i + 2) return builtIn(s, i + 2, 'providers', s[i + 1], scope);
  return parseTypeChain(s, i, scope);
}

/** Walks `providers/{ns}/{type}/{name}/…` from index `start` (which points at 'providers'). */
function parseTypeChain(
  s: string[],
  start: number,
  scope: { subscriptionId?: string; resourceGroup?: string },
): ArmPath | undefined {
  let scopeEnd = start;
  let namespace = s[start + 1] as string;
  let types: string[] = [];
  let j = start + 2;
  let name: string | undefined;
  while (j < s.length) {
    const seg = s[j] as string;
    if (eq(seg, 'providers') && types.length > 0 && name !== undefined && j + 1 < s.length) {
      // An extension resource: everything before this 'providers' is its scope.
      scopeEnd = j;
      namespace = s[j + 1] as string;
      types = [];
      name = undefined;
      j += 2;
      if (j >= s.length) return undefined;
      continue;
    }
    types.push(seg);
    name = s[j + 1];
    j += 2;
  }
  const end = s.length;
  const parentEnd = name === undefined ? end - 1 : end - 2;
  return {
    segments: s,
    subscriptionId: scope.subscriptionId,
    resourceGroup: scope.resourceGroup,
    namespace,
    resourceType: `${namespace}/${types.join('/')}`,
    name,
    id: joinId(s),
    // A top-level type's parent is the scope before `providers/{ns}`, not the `providers/{ns}` segments.
    parentId: joinId(s.slice(0, types.length === 1 ? scopeEnd : parentEnd)),
  };
}

/** The last segment of a type: 'Microsoft.Network/virtualNetworks/subnets' → 'subnets'. */
export const typeLeaf = (type: string): string => type.slice(type.lastIndexOf('/') + 1);

/** The type without its namespace: 'Microsoft.Network/virtualNetworks/subnets' → 'virtualNetworks/subnets'. */
export const typeWithoutNamespace = (type: string): string => type.slice(type.indexOf('/') + 1);

/** The resource name as ARM reports it in errors: parent names joined by '/' ('vnet1/subnet1'). */
export function qualifiedName(path: ArmPath): string {
  const afterNamespace = path.segments.slice(path.segments.findLastIndex((x) => eq(x, 'providers')) + 2);
  return afterNamespace.filter((_, k) => k % 2 === 1).join('/');
}
