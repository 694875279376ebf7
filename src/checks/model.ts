/** Outcome of one check: `error` means it could not run (403, timeout), never that it failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

/** One fact a check looked at: the field and the value seen. */
export interface Evidence {
  field: string;
  value: unknown;
  source?: string;
}

/** What a check found, renderable as a table row or a JSON object. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  remediation?: string;
  docs?: string;
  /** Which region, subnet, cluster... the result is about, when a check runs for several. */
  target?: string;
  /** The check's area (`network`, `region`, `identity`...), for grouping. */
  area?: string;
  /** How long the check took, its fact reads included. */
  durationMs?: number;
}

const severity: Record<CheckStatus, number> = { pass: 0, skip: 0, warn: 1, error: 2, fail: 3 };

/** The worst status among results, for exit codes and summaries. */
export function worstStatus(results: readonly Pick<CheckResult, 'status'>[]): CheckStatus {
  let worst: CheckStatus = 'pass';
  for (const r of results) if (severity[r.status] > severity[worst]) worst = r.status;
  return worst;
}
