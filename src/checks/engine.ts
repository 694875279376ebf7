// The one check engine: every check is data (id, area, tags, the facts it reads, the checks it requires) plus a pure
// `run` over those facts. The engine loads facts through the per-run context, runs independent checks in parallel,
// and short-circuits like `linkerd check` without stopping unrelated checks: a check whose requirement did not pass
// is `skip`, naming the requirement, while checks that do not depend on it still run.
import type { CheckResult, CheckStatus, Evidence } from './model.js';
import { type FactFailure, type FactKey, type Facts, type FactsContext } from './facts.js';

/** What a check's `run` returns: the result without the fields the engine fills in. */
export interface Outcome {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  remediation?: string;
  target?: string;
}

/** Builds an outcome; remediation only when there is something to do. */
export function outcome(
  status: CheckStatus,
  summary: string,
  evidence: Evidence[] = [],
  remediation?: string,
): Outcome {
  return { status, summary, evidence, ...(remediation ? { remediation } : {}) };
}

/** One evidence row: the wire field path (as in `az ... -o json` / ARM), the value, and the resource it came from. */
export function ev(field: string, value: unknown, source?: string): Evidence {
  return { field, value: value ?? null, ...(source ? { source } : {}) };
}

/** How much a failure of this check hurts (pain.md §2): P0 breaks every pod, P2 is a sharp edge. */
export type Severity = 'P0' | 'P1' | 'P2';

/** A check: metadata for `--list` and docs/checks.md, the facts it reads, and a pure rule over them. */
export interface Check<K extends FactKey = FactKey> {
  /** `area.name`, stable: scripts match on it. */
  id: string;
  title: string;
  area: string;
  tags: readonly string[];
  severity?: Severity;
  /** The failure catalog ids (`VN-*`) this check covers. */
  catalog?: readonly string[];
  docs?: string;
  /** Checks that must pass (or warn) first; otherwise this one is `skip`. */
  requires?: readonly string[];
  /** The facts `run` reads; the engine loads them before calling it. */
  facts: readonly K[];
  /**
   * Whether the check applies to what the facts show (a GPU note only where GPU SKUs are listed); one that does not
   * is left out of the results, and counts as satisfied for the checks that require it. Default: always.
   */
  applies?(facts: Pick<Facts, K>): boolean;
  run(facts: Pick<Facts, K>): Outcome | Promise<Outcome>;
}

/** A check of any facts, as held in a registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds checks of different facts
export type AnyCheck = Check<any>;

/** Declares a check with its fact types checked, erased to `AnyCheck` for the registry. */
export function defineCheck<K extends FactKey>(check: Check<K>): AnyCheck {
  return check;
}

/** Options of one engine run. */
export interface RunChecksOptions {
  /** Stamped on every result (the region or subnet the run is about). */
  target?: string;
  /** A clock, for tests. */
  now?: () => number;
  /**
   * Results of an earlier run (enable's preflight, handed to its subnet step): a check listed here is not run again,
   * its result is reused, and requirements on it are judged by it.
   */
  prior?: readonly CheckResult[];
}

const SATISFIED: ReadonlySet<CheckStatus> = new Set(['pass', 'warn']);

/**
 * Runs checks over one facts context and returns their results in the given order (less those that do not apply).
 * Each check starts as soon as its requirements have settled; its facts load in parallel. A requirement that is
 * neither in `checks` nor in `prior` is not waited for.
 */
export async function runChecks(
  checks: readonly AnyCheck[],
  ctx: FactsContext,
  options: RunChecksOptions = {},
): Promise<CheckResult[]> {
  const now = options.now ?? (() => performance.now());
  const pending = new Map<string, Promise<CheckResult | undefined>>();
  const byId = new Map(checks.map((c) => [c.id, c]));
  const prior = new Map((options.prior ?? []).map((r) => [r.id, r]));
  const start = (check: AnyCheck): Promise<CheckResult | undefined> => {
    let p = pending.get(check.id);
    if (!p) {
      p = prior.has(check.id) ? Promise.resolve(prior.get(check.id)) : runOne(check);
      pending.set(check.id, p);
    }
    return p;
  };

  async function runOne(check: AnyCheck): Promise<CheckResult | undefined> {
    const requirements = (check.requires ?? []).flatMap((id) => {
      const required = byId.get(id);
      if (required) return [start(required)];
      return prior.has(id) ? [Promise.resolve(prior.get(id))] : [];
    });
    const settled = (await Promise.all(requirements)).filter((r): r is CheckResult => r !== undefined);
    const t0 = now();
    const base = {
      id: check.id,
      title: check.title,
      area: check.area,
      ...(check.docs ? { docs: check.docs } : {}),
      ...(options.target !== undefined ? { target: options.target } : {}),
    };
    const finish = (outcome: Outcome): CheckResult => ({
      ...base,
      ...outcome,
      durationMs: Math.round((now() - t0) * 10) / 10,
    });
    const unmet = settled.find((r) => !SATISFIED.has(r.status));
    if (unmet) {
      return finish({
        status: 'skip',
        summary: `Skipped: needs ${unmet.id} to pass, and it is ${unmet.status}.`,
        evidence: [{ field: 'requires', value: unmet.id }],
      });
    }
    const failures = (await Promise.all(check.facts.map((key: FactKey) => ctx.failure(key)))).filter(
      (f): f is FactFailure => f !== undefined,
    );
    if (failures.length) return finish(unreadable(failures));
    try {
      const entries = await Promise.all(check.facts.map(async (key: FactKey) => [key, await ctx.get(key)] as const));
      const facts = Object.fromEntries(entries) as Pick<Facts, FactKey>;
      if (check.applies && !check.applies(facts)) return undefined;
      return finish(await check.run(facts));
    } catch (error) {
      return finish({
        status: 'error',
        summary: `Could not run: ${error instanceof Error ? error.message : String(error)}`,
        evidence: [],
      });
    }
  }

  return (await Promise.all(checks.map(start))).filter((r): r is CheckResult => r !== undefined);
}

// A check whose facts could not be read could not check anything: `error` (or `skip` when this command reads no such
// fact), never `fail`.
function unreadable(failures: FactFailure[]): Outcome {
  const first = failures[0]!;
  if (failures.every((f) => f.reason === 'unavailable')) {
    return {
      status: 'skip',
      summary: `Not checked here: ${failures.map((f) => f.fact).join(', ')} is not read by this command.`,
      evidence: [],
    };
  }
  const real = failures.find((f) => f.reason !== 'unavailable') ?? first;
  const summary =
    real.reason === 'forbidden'
      ? `Could not check: reading ${real.fact} was refused${real.permission ? ` (missing permission ${real.permission})` : ''}.`
      : `Could not check: reading ${real.fact} failed: ${real.message}`;
  return {
    status: 'error',
    summary,
    evidence: [{ field: real.fact, value: real.message }],
    ...(real.permission
      ? { remediation: `Grant the signed-in identity ${real.permission} (or a role that has it), then re-run.` }
      : real.remediation
        ? { remediation: real.remediation }
        : {}),
  };
}

/** How many results ended in each status. */
export function countByStatus(results: readonly Pick<CheckResult, 'status'>[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** The checks `--only`/`--skip` select (ids or areas), and the names that matched nothing. */
export function selectChecks(
  all: readonly AnyCheck[],
  filter: { only?: readonly string[]; skip?: readonly string[] },
): { checks: AnyCheck[]; unknown: string[]; matched: Record<string, string[]> } {
  const matched: Record<string, string[]> = {};
  const match = (name: string) => {
    const ids = all.filter((c) => c.id === name || c.area === name).map((c) => c.id);
    matched[name] = ids;
    return ids;
  };
  const names = [...(filter.only ?? []), ...(filter.skip ?? [])];
  for (const name of names) match(name);
  const unknown = names.filter((n) => matched[n]!.length === 0);
  const only = filter.only?.length ? new Set(filter.only.flatMap((n) => matched[n]!)) : undefined;
  const skip = new Set((filter.skip ?? []).flatMap((n) => matched[n]!));
  return { checks: all.filter((c) => (!only || only.has(c.id)) && !skip.has(c.id)), unknown, matched };
}

/** Registry sanity: unique ids, `area.name` form, requirements that exist and come first (dependency order). */
export function validateRegistry(all: readonly AnyCheck[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) problems.push(`duplicate check id ${c.id}`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id)) problems.push(`${c.id} is not area.name`);
    if (!c.id.startsWith(`${c.area}.`)) problems.push(`${c.id} is not in its area ${c.area}`);
    for (const r of c.requires ?? [])
      if (!seen.has(r)) problems.push(`${c.id} requires ${r}, which does not come before it`);
    seen.add(c.id);
  }
  return problems;
}
