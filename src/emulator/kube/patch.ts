// The four PATCH content types the apiserver accepts, applied to plain JSON. Pure; no I/O.
import fastJsonPatch from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import { KubeError, badRequest, unsupportedMediaType } from './errors.js';

/** PATCH content types, as clients put them in Content-Type. */
export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** One of the PATCH_TYPES values. */
export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge recursively, `null` removes a key, anything else replaces. */
export const mergePatch = (target: Json, patch: Json): Json => {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
};

/**
 * Merge keys of the list fields that Kubernetes' Go types mark `patchStrategy: merge`, by field name. The same name
 * means the same key across the kinds the emulator serves, except `ports` (containers: containerPort; services: port).
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  addresses: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
};

/** Lists of scalars that merge as sets rather than being replaced. */
const SET_LISTS = new Set(['finalizers']);

const mergeKeyOf = (field: string, items: readonly unknown[]): string | undefined => {
  if (field === 'ports') return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
};

const DELETE = Symbol('delete');

/** Removes `$patch`/`$retainKeys`/`$setElementOrder/...` directives from a value that is being inserted as is. */
const stripDirectives = (v: Json): Json => {
  if (Array.isArray(v))
    return v
      .filter((i) => !(isObject(i) && i.$patch !== undefined && Object.keys(i).length === 1))
      .map(stripDirectives);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, x]) => [k, stripDirectives(x)]),
  );
};

const mergeList = (field: string, original: Json, patch: unknown[]): Json => {
  const base = Array.isArray(original) ? original : [];
  if (SET_LISTS.has(field)) return [...base, ...patch.filter((p) => !base.includes(p))];
  const key = mergeKeyOf(field, [...base, ...patch]);
  if (key === undefined || patch.some((p) => isObject(p) && p.$patch === 'replace')) return stripDirectives(patch);
  const result = base.map((item) => structuredClone(item));
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`strategic merge patch: list "${field}" has a non-object item`);
    const at = result.findIndex((r) => isObject(r) && r[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = strategicMergePatch(result[at], item);
    else result.push(stripDirectives(item));
  }
  return result;
};

/** Orders `list` as `order` says (by merge key, or by value for scalars); items not named keep their place after. */
const reorder = (field: string, list: Json, order: unknown[]): Json => {
  if (!Array.isArray(list)) return list;
  const key = mergeKeyOf(field, list);
  const idOf = (v: unknown): unknown => (key !== undefined && isObject(v) ? v[key] : v);
  const wanted = order.map(idOf);
  const rank = (v: unknown): number => {
    const i = wanted.indexOf(idOf(v));
    return i < 0 ? wanted.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
};

/**
 * Strategic merge patch, approximated without OpenAPI: maps merge as in a JSON merge patch; lists of objects with a
 * known merge key (containers, env, volumes... by `name`) merge item by item; other lists are replaced. Honours the
 * directives kubectl sends: `$patch: replace|delete`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`
 * and `$retainKeys`.
 */
export const strategicMergePatch = (target: Json, patch: Json): Json => {
  const merged = smp(target, patch);
  return merged === DELETE ? {} : merged;
};

const smp = (target: Json, patch: Json): Json | typeof DELETE => {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'delete') return DELETE;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const result: JsonObject = isObject(target) ? structuredClone(target) : {};
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/')) orders.push([key.slice('$setElementOrder/'.length), value as unknown[]]);
    else if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((v) => !drop.includes(v));
    } else if (key.startsWith('$')) continue;
    else if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else {
      const merged = smp(result[key], value);
      if (merged === DELETE) delete result[key];
      else result[key] = merged;
    }
  }
  for (const [field, order] of orders) if (Array.isArray(order)) result[field] = reorder(field, result[field], order);
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
};

/** RFC 6902 JSON patch (add/remove/replace/move/copy/test). A failed operation is 422, as the apiserver answers. */
export const jsonPatch = (target: Json, operations: Json): Json => {
  if (!Array.isArray(operations)) throw badRequest('json patch: the body must be a JSON array of operations');
  try {
    return fastJsonPatch.applyPatch(structuredClone(target), operations as fastJsonPatch.Operation[], true, true)
      .newDocument;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
  }
};

/** Parses a PATCH body for its content type (apply patches may be YAML or JSON). */
export const parsePatchBody = (contentType: string, body: string): { type: PatchType; patch: Json } => {
  const type = Object.values(PATCH_TYPES).find((t) => contentType.split(';')[0]!.trim().toLowerCase() === t);
  if (type === undefined) throw unsupportedMediaType(contentType);
  try {
    return { type, patch: type === PATCH_TYPES.apply ? parseYaml(body) : JSON.parse(body) };
  } catch (err) {
    throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
};

/**
 * Applies a patch of any supported type to `current` (undefined when the object does not exist, which only
 * server-side apply accepts: it then creates). Server-side apply is approximated as a strategic merge of the applied
 * configuration; field ownership and conflicts are not tracked.
 */
export const applyPatch = (type: PatchType, current: Json, patch: Json): Json => {
  switch (type) {
    case PATCH_TYPES.json:
      return jsonPatch(current, patch);
    case PATCH_TYPES.merge:
      return mergePatch(current, patch);
    case PATCH_TYPES.strategic:
    case PATCH_TYPES.apply:
      if (!isObject(patch)) throw badRequest('a merge patch must be a JSON object');
      return strategicMergePatch(current, patch);
  }
};
