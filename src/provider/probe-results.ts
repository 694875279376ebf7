// The probe's results, pure: the log lines of the probe pod (probe-spec.ts) turned into one result per step.
import { PROBE_PREFIX } from './probe-spec.js';

export type ProbeStepId = 'running' | 'dns' | 'apiserver' | 'registry' | 'cleanup';

export interface ProbeStep {
  step: ProbeStepId;
  ok: boolean;
  /** What was seen: the pod phase, the address resolved, the HTTP status, or why it failed. */
  evidence: string;
}

/** The steps the pod itself reports, in order. */
const LOG_STEPS: readonly ProbeStepId[] = ['dns', 'apiserver', 'registry'];

export const STEP_TITLES: Record<ProbeStepId, string> = {
  running: 'the pod runs on the virtual node',
  dns: 'resolves kubernetes.default.svc',
  apiserver: 'reaches the API server',
  registry: 'reaches the registry',
  cleanup: 'the pod and its container group are gone',
};

/**
 * One result per step the pod reports (the last line of a step wins; lines of other programs, or with timestamps in
 * front, are tolerated). A step with no line fails with `no result` and, when the log has a `done` line, the steps
 * before it were all reported.
 */
export function parseProbeLog(text: string): { steps: ProbeStep[]; done: boolean } {
  const seen = new Map<string, ProbeStep>();
  let done = false;
  for (const raw of text.split('\n')) {
    const at = raw.indexOf(`${PROBE_PREFIX} `);
    if (at < 0) continue;
    const [step = '', verdict = '', ...rest] = raw
      .slice(at + PROBE_PREFIX.length + 1)
      .trim()
      .split(/\s+/);
    if (step === 'done') done = true;
    if (!LOG_STEPS.includes(step as ProbeStepId) || (verdict !== 'ok' && verdict !== 'fail')) continue;
    seen.set(step, { step: step as ProbeStepId, ok: verdict === 'ok', evidence: rest.join(' ') });
  }
  const steps = LOG_STEPS.map(
    (step) => seen.get(step) ?? { step, ok: false, evidence: done ? 'no result' : 'no result (the log ends early)' },
  );
  return { steps, done };
}
