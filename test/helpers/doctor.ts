// One doctor run as the end-to-end doctor tests read it: `vnodes doctor -o json` in-process against a running
// emulator, with its checks looked up by id (a missing id fails the test, naming the ones there are).
import { run, type CliRun } from './run-cli.js';

/** A check result as doctor's JSON has it. */
export interface DoctorCheck {
  id: string;
  status: string;
  summary: string;
  evidence: { field: string; value: unknown; source?: string }[];
  remediation?: string;
  catalog?: string[];
}

/** The emulator options every doctor test starts with: fast LROs, no propagation delay, a quick connector. */
export const FAST = { lroDelayMs: 10, principalPropagationMs: 0, connectorReconcileMs: 50 } as const;

/** The cluster every doctor scenario has. */
export const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];

/** Runs doctor with `args` and returns the run, its document and a lookup of its checks. */
export async function doctorJson(
  env: Record<string, string | undefined>,
  args: string[] = [],
): Promise<{ r: CliRun; doc: any; check: (id: string) => DoctorCheck }> {
  const r = await run(['doctor', ...CLUSTER, '-o', 'json', ...args], env);
  const doc = r.json();
  const byId = new Map<string, DoctorCheck>(doc.checks.map((c: DoctorCheck) => [c.id, c]));
  const check = (id: string) => {
    const c = byId.get(id);
    if (!c) throw new Error(`no check ${id} in ${[...byId.keys()].join(', ')}`);
    return c;
  };
  return { r, doc, check };
}

/** The evidence of a check as one string, for matching. */
export const evidenceText = (c: DoctorCheck) => JSON.stringify(c.evidence);
