// Label and field selectors: parsing the query-string forms and matching objects. Pure; no I/O.
import { badRequest } from './errors.js';

/** One parsed label requirement. `=`/`==` parse as `in` with one value, `!=` as `notin`. */
export interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';
  values: string[];
}

/** One parsed field requirement (`metadata.name=x`, `spec.nodeName!=`). */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** A label selector object as in Deployment.spec.selector. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Labels = Readonly<Record<string, string>> | undefined;

const NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY = `(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?${NAME}`;
const VALUE = `(?:${NAME})?`;
const KEY_RE = new RegExp(`^${KEY}$`);
const VALUE_RE = new RegExp(`^${VALUE}$`);

const EXISTS = new RegExp(`^(${KEY})$`);
const NOT_EXISTS = new RegExp(`^!\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(\\S*)$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\((.*)\\)$`);
const ORDER = new RegExp(`^(${KEY})\\s*(>|<)\\s*(\\S+)$`);

/** Splits on commas that are not inside parentheses (`a in (x,y),b` is two requirements). */
const splitTopLevel = (s: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
};

const fail = (selector: string, why: string): never => {
  throw badRequest(`unable to parse requirement: ${why} (in label selector "${selector}")`);
};

const checkValue = (selector: string, v: string): string =>
  VALUE_RE.test(v)
    ? v
    : fail(
        selector,
        `values[0]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
      );

/** Parses a `labelSelector` query value. Empty selects everything. Throws 400 BadRequest on bad syntax. */
export const parseLabelSelector = (selector: string | undefined): LabelRequirement[] => {
  if (selector === undefined || selector.trim() === '') return [];
  return splitTopLevel(selector).map((raw): LabelRequirement => {
    const term = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = NOT_EXISTS.exec(term))) return { key: m[1]!, op: '!exists', values: [] };
    if ((m = EXISTS.exec(term))) return { key: m[1]!, op: 'exists', values: [] };
    if ((m = SET.exec(term))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '')
        fail(selector, `for 'in', 'notin' operators, values set can't be empty`);
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values: values.map((v) => checkValue(selector, v)) };
    }
    if ((m = EQUALITY.exec(term)))
      return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [checkValue(selector, m[3]!)] };
    if ((m = ORDER.exec(term))) {
      if (!/^-?\d+$/.test(m[3]!)) fail(selector, `for 'Gt', 'Lt' operators, the value must be an integer`);
      return { key: m[1]!, op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] };
    }
    return fail(selector, term === '' ? 'empty requirement' : `"${term}" is not a valid requirement`);
  });
};

/** Whether one requirement holds for a label map (absent labels satisfy `!=`, `notin` and `!key`). */
const matchesRequirement = (req: LabelRequirement, labels: Labels): boolean => {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key]! : undefined;
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && req.values.includes(value!);
    case 'notin':
      return !has || !req.values.includes(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(req.values[0]);
      return req.op === 'gt' ? n > bound : n < bound;
    }
  }
};

export const matchesLabels = (reqs: readonly LabelRequirement[], labels: Labels): boolean =>
  reqs.every((r) => matchesRequirement(r, labels));

/** Converts a selector object (matchLabels + matchExpressions, or NodeSelectorRequirements) into requirements. */
export const requirementsOf = (sel: LabelSelectorObject): LabelRequirement[] => {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: 'in',
    values: [v],
  }));
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists', Gt: 'gt', Lt: 'lt' } as const)[
      e.operator as 'In'
    ];
    if (op === undefined) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
};

/** Whether a string is a valid label key (`prefix/name`), as metadata validation needs. */
export const isLabelKey = (key: string): boolean => KEY_RE.test(key);

/** Index of the first unescaped occurrence of `needle` in `s`, or -1. */
const unescapedIndex = (s: string, needle: string): number => {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
};

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

/**
 * Parses a `fieldSelector` query value (`a=b,c!=d`; backslash escapes `,` `=` `!`). Only equality operators exist
 * for fields. Which fields a type supports is the caller's business (see `fieldValue`).
 */
export const parseFieldSelector = (selector: string | undefined): FieldRequirement[] => {
  if (selector === undefined || selector.trim() === '') return [];
  const terms: string[] = [];
  let rest = selector;
  for (let i = unescapedIndex(rest, ','); i >= 0; i = unescapedIndex(rest, ',')) {
    terms.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  terms.push(rest);
  return terms.map((term): FieldRequirement => {
    for (const op of ['!=', '==', '='] as const) {
      const i = unescapedIndex(term, op);
      if (i > 0)
        return {
          field: term.slice(0, i).trim(),
          op: op === '!=' ? '!=' : '=',
          value: unescape(term.slice(i + op.length)),
        };
    }
    throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
  });
};

/** The string a field selector compares: dotted path into the object; missing → "", booleans/numbers as text. */
export const fieldValue = (obj: unknown, field: string): string => {
  // `source` on events is source.component, the way the apiserver exposes it.
  const path = field === 'source' ? ['source', 'component'] : field.split('.');
  let cur: unknown = obj;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur === undefined || cur === null ? '' : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
};

export const matchesFields = (reqs: readonly FieldRequirement[], obj: unknown): boolean =>
  reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
