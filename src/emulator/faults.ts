/**
 * Fault rules: make the emulated ARM slow or unkind on purpose.
 *
 * String syntax: `RULE[;RULE...]`, RULE = `KIND[/PARAM]:RATE[:PATTERN]`.
 * - KIND: `403` (AuthorizationFailed: the caller lacks the RBAC action), `429` (TooManyRequests + Retry-After), `500` (InternalServerError), `503` (ServiceUnavailable),
 *   `drop` (socket destroyed, no response), `lro-fail` (a long-running operation started by the request ends Failed).
 * - PARAM: for 429/503 the Retry-After in seconds (`429/0`), or milliseconds with `ms` (`429/250ms`, sent as
 *   `x-ms-retry-after-ms`); for lro-fail the error code the operation fails with (`lro-fail/NetcfgSubnetRangesOverlap`).
 * - RATE: a probability `0..1` (seeded PRNG) or `xN`, the first N matching requests.
 * - PATTERN: `METHOD PATHGLOB`, `PATHGLOB` or an operation name (`Location_ListCapabilities`); globs use `*` for
 *   any run of characters and match the path without query, case-insensitively. No pattern: every request.
 */

/** The kinds of fault. */
export type FaultKind = '403' | '429' | '500' | '503' | 'drop' | 'lro-fail';

/** One fault rule. Exactly one of `rate` and `first` is set. */
export interface FaultRule {
  kind: FaultKind;
  /** Probability 0..1 that a matching request faults. */
  rate?: number;
  /** Fault the first N matching requests, then never. */
  first?: number;
  /** HTTP method to match (upper case); any when absent. */
  method?: string;
  /** Path glob ('*' = any characters), case-insensitive, against the path without query. */
  path?: string;
  /** Operation name to match ('Subnets_CreateOrUpdate'), case-insensitive. */
  operation?: string;
  /** 429/503: Retry-After to send, in milliseconds (default 1000 for 429, none for 503). */
  retryAfterMs?: number;
  /** lro-fail: the error code the operation ends with (default 'InternalServerError'). */
  code?: string;
}

const KINDS: readonly FaultKind[] = ['403', '429', '500', '503', 'drop', 'lro-fail'];

/** Parses the string syntax. Throws an Error whose one-line message names the bad part. */
export function parseFaults(spec: string): FaultRule[] {
  return spec
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map(parseRule);
}

function parseRule(text: string): FaultRule {
  const fail = (what: string): never => {
    throw new Error(`Bad fault rule '${text}': ${what}.`);
  };
  const [head = '', rateText, ...patternParts] = text.split(':');
  const [kindText = '', param, ...extra] = head.split('/');
  const kind = KINDS.find((k) => k === kindText.trim().toLowerCase());
  if (kind === undefined) return fail(`kind '${kindText}' is not one of ${KINDS.join(', ')}`);
  if (extra.length > 0) return fail(`'${head}' has more than one '/'`);
  const rule: FaultRule = { kind };
  if (param !== undefined) applyParam(rule, param.trim(), fail);
  if (rateText === undefined || rateText.trim() === '') return fail('a RATE is missing (a probability 0..1 or xN)');
  const rate = rateText.trim().toLowerCase();
  if (/^x\d+$/.test(rate)) rule.first = Number(rate.slice(1));
  else if (/^(0|1|0?\.\d+|1\.0*)$/.test(rate)) rule.rate = Number(rate);
  else return fail(`rate '${rateText}' is neither a probability 0..1 nor xN`);
  const pattern = patternParts.join(':').trim();
  if (pattern !== '') Object.assign(rule, parsePattern(pattern));
  return rule;
}

function applyParam(rule: FaultRule, param: string, fail: (what: string) => never): void {
  if (rule.kind === '429' || rule.kind === '503') {
    const m = /^(\d+)(ms|s)?$/i.exec(param);
    if (m === null) fail(`retry-after '${param}' is not a number of seconds (or Nms)`);
    else rule.retryAfterMs = m[2]?.toLowerCase() === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  } else if (rule.kind === 'lro-fail') {
    if (!/^[A-Za-z][\w.]*$/.test(param)) fail(`error code '${param}' is not a word`);
    rule.code = param;
  } else {
    fail(`kind '${rule.kind}' takes no '/' parameter`);
  }
}

const METHODS = new Set(['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD']);

function parsePattern(pattern: string): Pick<FaultRule, 'method' | 'path' | 'operation'> {
  const space = pattern.indexOf(' ');
  const first = space < 0 ? pattern : pattern.slice(0, space);
  if (space > 0 && METHODS.has(first.toUpperCase())) {
    const rest = pattern.slice(space + 1).trim();
    return {
      method: first.toUpperCase(),
      ...(rest.includes('/') || rest.includes('*') ? { path: rest } : { operation: rest }),
    };
  }
  if (METHODS.has(pattern.toUpperCase())) return { method: pattern.toUpperCase() };
  return pattern.includes('/') || pattern.includes('*') ? { path: pattern } : { operation: pattern };
}

/** Compiles a glob where '*' matches any run of characters into a case-insensitive, anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence of faults. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a request looks like to the fault rules. */
export interface FaultTarget {
  method: string;
  path: string;
  operation: string;
}

interface LiveRule {
  rule: FaultRule;
  path: RegExp | undefined;
  fired: number;
}

/** Decides, request by request, which fault (if any) applies. Counters reset when the rules are replaced. */
export class FaultInjector {
  private rules: LiveRule[] = [];
  private readonly random: () => number;

  constructor(rules: FaultRule[], seed = 1) {
    this.random = seededRandom(seed);
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({
      rule,
      path: rule.path === undefined ? undefined : globToRegExp(rule.path),
      fired: 0,
    }));
  }

  /** The request-level fault (429/500/503/drop) for this request, if one fires. */
  requestFault(target: FaultTarget): FaultRule | undefined {
    return this.fire(target, (k) => k !== 'lro-fail');
  }

  /** The lro-fail rule for a request that starts a long-running operation, if one fires. */
  lroFault(target: FaultTarget): FaultRule | undefined {
    return this.fire(target, (k) => k === 'lro-fail');
  }

  private fire(target: FaultTarget, kinds: (k: FaultKind) => boolean): FaultRule | undefined {
    for (const live of this.rules) {
      const { rule } = live;
      if (!kinds(rule.kind) || !matches(live, target)) continue;
      const fires = rule.first !== undefined ? live.fired < rule.first : this.random() < (rule.rate ?? 0);
      if (fires) {
        live.fired += 1;
        return rule;
      }
    }
    return undefined;
  }
}

function matches(live: LiveRule, target: FaultTarget): boolean {
  const { rule } = live;
  if (rule.method !== undefined && rule.method !== target.method.toUpperCase()) return false;
  if (live.path !== undefined && !live.path.test(target.path)) return false;
  if (rule.operation !== undefined && rule.operation.toLowerCase() !== target.operation.toLowerCase()) return false;
  return true;
}
