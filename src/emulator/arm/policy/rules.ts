// Azure Policy's rule language, the part the emulator evaluates: `allOf`/`anyOf`/`not`, `field` conditions
// (equals, notEquals, like, notLike, in, notIn, contains, notContains, exists) over type, name, location, kind, tags
// and property aliases, and the template functions scenarios use in rules (`parameters()`, `concat()`). The language
// is documented at https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule.
import type { Json } from '../store.js';

/** Parameter values by name, as an assignment (or a set's member) resolves them. */
export type PolicyParameters = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits a template call's arguments at top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim() !== '') out.push(text.slice(start).trim());
  return out;
}

function expression(text: string, params: PolicyParameters): unknown {
  const literal = /^'(.*)'$/s.exec(text);
  if (literal) return literal[1]!.replace(/''/g, "'");
  const call = /^(\w+)\((.*)\)$/s.exec(text);
  if (!call) return text;
  const args = splitArgs(call[2]!).map((a) => expression(a, params));
  switch (call[1]!.toLowerCase()) {
    case 'parameters':
      return params[String(args[0])];
    case 'concat':
      return args.map((a) => (a === undefined ? '' : String(a))).join('');
    default:
      return text;
  }
}

/** A value with its template expressions (`[parameters('x')]`) resolved; `[[` escapes a literal bracket. */
export function resolveValue(value: unknown, params: PolicyParameters): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('[[')) return value.slice(1);
    if (value.startsWith('[') && value.endsWith(']')) return expression(value.slice(1, -1), params);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, params));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, params)]));
  return value;
}

/** The values a field names on a resource body: one, or one per element of a `[*]` alias. */
function fieldValues(resource: Json, field: string): unknown[] {
  const f = field.trim();
  const lower = f.toLowerCase();
  if (['type', 'name', 'location', 'kind', 'id'].includes(lower)) return [resource[lower]];
  const tag = /^tags(?:\[['"]?(.+?)['"]?\]|\.(.+))$/i.exec(f);
  const tags = isObject(resource.tags) ? resource.tags : {};
  if (tag) {
    const key = (tag[1] ?? tag[2])!.toLowerCase();
    return [Object.entries(tags).find(([k]) => k.toLowerCase() === key)?.[1]];
  }
  if (lower === 'tags') return [resource.tags];
  // An alias: `Namespace/type[/child]/path.to[*].prop`; the path is read below `properties`, and array items'
  // own `properties` (a subnet's delegations[*].serviceName is properties.delegations[*].properties.serviceName).
  const type = String(resource.type ?? '').toLowerCase();
  if (type === '' || !lower.startsWith(`${type}/`)) return [undefined];
  const path = f.slice(type.length + 1).split('.');
  let current: unknown[] = [resource.properties];
  for (const segment of path) {
    const all = segment.endsWith('[*]');
    const key = all ? segment.slice(0, -3) : segment;
    current = current.flatMap((v) => {
      if (!isObject(v)) return [undefined];
      const found = key in v ? v[key] : isObject(v.properties) ? v.properties[key] : undefined;
      return all ? (Array.isArray(found) ? found : []) : [found];
    });
  }
  return current;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v ?? null));
const like = (pattern: string, v: unknown): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(typeof v === 'string' ? v : '');
const inList = (list: unknown, v: unknown): boolean => Array.isArray(list) && list.some((x) => text(x) === text(v));

function condition(op: string, expected: unknown, v: unknown): boolean | undefined {
  switch (op.toLowerCase()) {
    case 'equals':
      return text(v) === text(expected);
    case 'notequals':
      return text(v) !== text(expected);
    case 'like':
      return like(String(expected), v);
    case 'notlike':
      return !like(String(expected), v);
    case 'in':
      return inList(expected, v);
    case 'notin':
      return !inList(expected, v);
    case 'contains':
      return typeof v === 'string' && v.toLowerCase().includes(String(expected).toLowerCase());
    case 'notcontains':
      return !(typeof v === 'string' && v.toLowerCase().includes(String(expected).toLowerCase()));
    case 'exists':
      return (v !== undefined && v !== null) === (String(expected).toLowerCase() === 'true');
    default:
      return undefined;
  }
}

/** Whether a rule's `if` holds for a resource body (`type`, `name`, `location`, `tags`, `properties`). */
export function matches(rule: unknown, resource: Json, params: PolicyParameters): boolean {
  if (!isObject(rule)) return false;
  if (Array.isArray(rule.allOf)) return rule.allOf.every((r) => matches(r, resource, params));
  if (Array.isArray(rule.anyOf)) return rule.anyOf.some((r) => matches(r, resource, params));
  if (rule.not !== undefined) return !matches(rule.not, resource, params);
  if (rule.field === undefined) return false;
  const values = fieldValues(resource, String(resolveValue(rule.field, params)));
  for (const [op, raw] of Object.entries(rule)) {
    if (op === 'field') continue;
    const expected = resolveValue(raw, params);
    const results = values.map((v) => condition(op, expected, v));
    if (results.some((r) => r === undefined)) return false;
    return results.every(Boolean);
  }
  return false;
}
