// `vnodes doctor`: detect the stack, run every check that applies (independent reads in parallel, each object read
// once), and, when asked, apply the safe fixes and wait for failing checks to pass.
import { doctorChecks } from '../checks/doctor.js';
import { AREAS } from '../checks/registry.js';
import type { StackKind } from '../checks/doctor-facts.js';
import { STACK_TAG } from '../checks/doctor-common.js';
import { countByStatus, defineCheck, runChecks, selectChecks, type AnyCheck } from '../checks/engine.js';
import type { FactKey, FactsContext } from '../checks/facts.js';
import type { CheckResult, CheckStatus } from '../checks/model.js';
import { NOT_COVERED } from '../checks/stack/index.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { sleep } from '../util/sleep.js';
import { doctorFacts, type DoctorTarget } from './loaders.js';
import { applyFixes, planFixes, type FixReport } from './fix.js';

/** Options of `vnodes doctor`, validated. */
export interface DoctorOptions extends DoctorTarget {
  only: string[];
  skip: string[];
  fix: boolean;
  strict: boolean;
  dryRun: boolean;
  /** --probe: run the live probe (probe.live); without it the check is skip, opt-in. */
  probe: boolean;
  /** --wait: re-run failing checks until they pass or this passes. */
  waitMs?: number;
  pollMs: number;
}

/** One check's result as doctor reports it: the engine's result plus its catalog entry. */
export interface DoctorCheckResult extends CheckResult {
  severity?: string;
  catalog?: readonly string[];
}

/** What a run found (and fixed). */
export interface DoctorResult {
  cluster: string;
  resourceGroup: string;
  stack: { primary: StackKind; detected: StackKind[]; notCovered?: string };
  /** What --only/--skip matched, by the name given. */
  selection: { only: string[]; skip: string[]; matched: Record<string, string[]> };
  checks: DoctorCheckResult[];
  counts: Record<CheckStatus, number>;
  calls: { arm: number; kubernetes: number; graph: number };
  durationMs: number;
  strict: boolean;
  /** Nothing failed and nothing could not be checked (warnings too, with --strict). */
  passed: boolean;
  fix?: FixReport;
  wait?: { waitedMs: number; rounds: number; timedOut: boolean };
}

type DoctorDeps = Pick<Deps, 'azure' | 'reporter' | 'env' | 'consent' | 'signal' | 'globals'>;

/** The checks --only/--skip select; an unknown name is bad input listing the valid ones. */
export function selectDoctorChecks(only: string[], skip: string[]) {
  const selected = selectChecks(doctorChecks, { only, skip });
  if (selected.unknown.length) {
    throw new UsageError(
      `Unknown check or area: ${selected.unknown.join(', ')}.`,
      `Valid areas: ${AREAS.join(', ')}. Valid ids: ${doctorChecks.map((c) => c.id).join(', ')} (vnodes doctor --list).`,
      'VNODES_UNKNOWN_CHECK',
    );
  }
  return selected;
}

const stacksOf = (check: AnyCheck): string[] => check.tags.filter((t) => t.startsWith('stack:'));

// A check tagged for some stacks only runs on those; on another stack it is `skip`, saying which it is for.
function forStack(check: AnyCheck): AnyCheck {
  const wanted = stacksOf(check);
  if (!wanted.length) return check;
  return defineCheck({
    ...check,
    facts: [...new Set([...check.facts, 'stack' as const])],
    run(facts) {
      const stack = (facts as { stack: { primary: StackKind; detected: StackKind[] } }).stack;
      const on = stack.detected.length ? stack.detected : ['none' as const];
      if (on.some((s) => wanted.includes(STACK_TAG[s]))) return check.run(facts);
      return {
        status: 'skip',
        summary: `Applies to ${wanted.map((w) => w.slice('stack:'.length)).join(', ')}; this cluster runs ${on.join(', ')}.`,
        evidence: [{ field: 'stack', value: stack.primary }],
      };
    },
  });
}

/** Facts that write (the probe's pod): never preloaded, read only when their check's requirements have passed. */
const ON_DEMAND: ReadonlySet<FactKey> = new Set(['probe']);

// Without --probe, an opt-in check is listed and skipped, saying how to run it.
function optIn(check: AnyCheck, probe: boolean): AnyCheck {
  if (probe || !check.tags.includes('opt-in')) return check;
  return defineCheck({
    ...check,
    requires: [],
    facts: [],
    run: () => ({
      status: 'skip',
      summary: 'Not run (opt-in: --probe creates a pod on the virtual node).',
      evidence: [{ field: 'flag', value: '--probe' }],
    }),
  });
}

async function runOnce(checks: AnyCheck[], ctx: FactsContext): Promise<DoctorCheckResult[]> {
  const results = await runChecks(checks.map(forStack), ctx);
  const byId = new Map(checks.map((c) => [c.id, c]));
  return results.map((r) => {
    const c = byId.get(r.id);
    return { ...r, ...(c?.severity ? { severity: c.severity } : {}), ...(c?.catalog ? { catalog: c.catalog } : {}) };
  });
}

// Every fact the selected checks read starts loading at once (a check's requirements gate its rule, not its reads,
// so a read never waits for an unrelated check); the cluster's own failure (not found, not signed in) ends the run.
async function start(ctx: FactsContext, checks: readonly AnyCheck[]): Promise<void> {
  const keys = new Set<FactKey>(['cluster', 'stack', ...checks.flatMap((c) => c.facts as FactKey[])]);
  for (const key of ON_DEMAND) keys.delete(key);
  for (const key of keys) ctx.get(key).catch(() => undefined);
  await ctx.get('cluster');
}

const failing = (r: CheckResult, strict: boolean) =>
  r.status === 'fail' || r.status === 'error' || (strict && r.status === 'warn');

/** Runs doctor end to end. */
export async function doctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorResult> {
  const t0 = performance.now();
  const picked = selectDoctorChecks(options.only, options.skip);
  const selected = { ...picked, checks: picked.checks.map((c) => optIn(c, options.probe)) };
  const azure = await deps.azure();
  const before = { ...azure.calls };
  const fresh = async () => {
    const ctx = await doctorFacts(options, deps);
    await start(ctx, selected.checks);
    return ctx;
  };
  const ctx = await fresh();
  let checks = await runOnce(selected.checks, ctx);
  const stack = await ctx.get('stack').catch(() => undefined);

  let fix: FixReport | undefined;
  if (options.fix) {
    const plan = planFixes(checks, await ctx.get('cluster'));
    fix = await applyFixes(plan, options, deps);
    if (fix.applied.length && !options.dryRun) {
      checks = await recheck(
        checks,
        selected.checks,
        fresh,
        options,
        deps,
        new Set(fix.affected),
        options.waitMs ?? 120_000,
      );
      const still = new Set(checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => c.id));
      fix.manual = fix.manual.filter((m) => still.has(m.check));
    }
  }
  let wait: DoctorResult['wait'];
  if (options.waitMs !== undefined && !options.dryRun) {
    const w0 = performance.now();
    let rounds = 0;
    while (checks.some((c) => failing(c, options.strict)) && performance.now() - w0 < options.waitMs) {
      await sleep(Math.min(options.pollMs, Math.max(0, options.waitMs - (performance.now() - w0))), deps.signal);
      rounds++;
      checks = await rerun(checks, selected.checks, await fresh(), (c) => failing(c, options.strict));
    }
    wait = {
      waitedMs: Math.round(performance.now() - w0),
      rounds,
      timedOut: checks.some((c) => failing(c, options.strict)),
    };
  }

  const counts = countByStatus(checks);
  const primary = stack?.primary ?? 'none';
  const notCovered = NOT_COVERED[primary];
  return {
    cluster: options.cluster,
    resourceGroup: options.resourceGroup,
    stack: { primary, detected: stack?.detected ?? [], ...(notCovered ? { notCovered } : {}) },
    selection: { only: options.only, skip: options.skip, matched: selected.matched },
    checks,
    counts,
    calls: {
      arm: azure.calls.arm - before.arm,
      kubernetes: azure.calls.kubernetes - before.kubernetes,
      graph: azure.calls.graph - before.graph,
    },
    durationMs: Math.round(performance.now() - t0),
    strict: options.strict,
    passed: !checks.some((c) => failing(c, options.strict)),
    ...(fix ? { fix } : {}),
    ...(wait ? { wait } : {}),
  };
}

// Re-runs the checks `which` picks (with the checks they require, so a dependent sees its requirement's new state).
async function rerun(
  previous: DoctorCheckResult[],
  all: AnyCheck[],
  ctx: FactsContext,
  which: (r: DoctorCheckResult) => boolean,
): Promise<DoctorCheckResult[]> {
  const ids = new Set(previous.filter(which).map((r) => r.id));
  const byId = new Map(all.map((c) => [c.id, c]));
  const add = (id: string) => {
    ids.add(id);
    for (const r of byId.get(id)?.requires ?? []) if (!ids.has(r)) add(r);
  };
  for (const id of [...ids]) add(id);
  const again = await runOnce(
    all.filter((c) => ids.has(c.id)),
    ctx,
  );
  const fresh = new Map(again.map((r) => [r.id, r]));
  return previous.map((r) => fresh.get(r.id) ?? r);
}

// After fixes: re-run what they affect until it passes, for at most `budgetMs` (the connector needs a moment to
// start and register the node once its role lands).
async function recheck(
  checks: DoctorCheckResult[],
  all: AnyCheck[],
  fresh: () => Promise<FactsContext>,
  options: DoctorOptions,
  deps: DoctorDeps,
  affected: ReadonlySet<string>,
  budgetMs: number,
): Promise<DoctorCheckResult[]> {
  const t0 = performance.now();
  const touched = (r: DoctorCheckResult) => affected.has(r.id) || failing(r, false);
  let current = await rerun(checks, all, await fresh(), touched);
  while (current.some((r) => affected.has(r.id) && failing(r, false)) && performance.now() - t0 < budgetMs) {
    await sleep(options.pollMs, deps.signal);
    current = await rerun(current, all, await fresh(), (r) => affected.has(r.id) && failing(r, false));
  }
  return current;
}
