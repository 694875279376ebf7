import { compareApiVersions, VERSIONED_FIELDS } from './api-versions.js';
import { jsonObject } from './context.js';
import type { Json } from './store.js';

/** The paths of a type that `apiVersion` does not have (from the api-version table). */
function absentPaths(type: string, apiVersion: string): string[] {
  const key = Object.keys(VERSIONED_FIELDS).find((k) => k.toLowerCase() === type.toLowerCase());
  if (key === undefined || apiVersion === '') return [];
  return VERSIONED_FIELDS[key]!.filter((f) => compareApiVersions(apiVersion, f.through) <= 0).flatMap((f) => f.paths);
}

/** Removes one dot path (with `[]` for every item of an array) from a copy-on-write tree. */
function without(value: unknown, parts: readonly string[]): unknown {
  const [head, ...rest] = parts;
  if (head === undefined) return value;
  if (head.endsWith('[]')) {
    const key = head.slice(0, -2);
    const obj = jsonObject(value);
    if (obj === undefined || !Array.isArray(obj[key])) return value;
    return { ...obj, [key]: (obj[key] as unknown[]).map((item) => without(item, rest)) };
  }
  const obj = jsonObject(value);
  if (obj === undefined || !(head in obj)) return value;
  if (rest.length === 0) {
    const { [head]: _dropped, ...kept } = obj;
    return kept;
  }
  return { ...obj, [head]: without(obj[head], rest) };
}

/** The body as `apiVersion` shows it: the fields that version does not have are left out. */
export function shapeForVersion(type: string, body: Json, apiVersion: string): Json {
  return absentPaths(type, apiVersion).reduce<Json>((b, path) => without(b, path.split('.')) as Json, body);
}

const at = (value: unknown, parts: readonly string[]): unknown =>
  parts.reduce<unknown>((v, k) => jsonObject(v)?.[k], value);

/**
 * A PUT body with the stored values of the fields its api-version cannot express filled back in, so an older client's
 * read-modify-write does not wipe them (array paths are not restored: no versioned array field is writable).
 */
export function keepUnexpressible(type: string, body: Json, stored: Json | undefined, apiVersion: string): Json {
  if (stored === undefined) return body;
  let out = body;
  for (const path of absentPaths(type, apiVersion)) {
    if (path.includes('[]')) continue;
    const parts = path.split('.');
    const kept = at(stored, parts);
    if (kept === undefined || at(out, parts) !== undefined) continue;
    out = withValue(out, parts, kept);
  }
  return out;
}

function withValue(obj: Json, parts: readonly string[], value: unknown): Json {
  const [head, ...rest] = parts;
  if (head === undefined) return obj;
  if (rest.length === 0) return { ...obj, [head]: value };
  return { ...obj, [head]: withValue(jsonObject(obj[head]) ?? {}, rest, value) };
}
