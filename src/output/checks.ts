// The one renderer of check results for people: grouped by area in registry order, ✓ ! ✗ with colour (plain words
// without), the fix under each problem, and one summary line. The JSON rendering is the results themselves.
import { countByStatus } from '../checks/engine.js';
import type { CheckResult, CheckStatus } from '../checks/model.js';
import { AREAS } from '../checks/registry.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** How a command shows its checks. */
export interface ChecksView {
  /**
   * `table`: every check that ran, as STATUS/CHECK/RESULT rows, then the fixes; `list`: one line each, the fix under
   * each problem; `problems`: the same, warn/fail/error only.
   */
  layout: 'table' | 'list' | 'problems';
  /** Start each problem line with its check id (`preflight` etc. as a word before it, when a string). */
  id?: boolean | string;
  /** Start each problem line with its target (the region). */
  target?: boolean;
  /** End with the counts ("3 passed, 1 warning(s), 0 failed, 2 skipped."). */
  summary?: boolean;
  /** With `summary`: a dim line naming the skipped checks, and why they typically skip. */
  skippedWhy?: string;
}

const PROBLEM: ReadonlySet<CheckStatus> = new Set(['warn', 'fail', 'error']);
const areaRank = (area: string | undefined) => {
  const i = AREAS.indexOf(area as (typeof AREAS)[number]);
  return i < 0 ? AREAS.length : i;
};

/** Results grouped by area in dependency order, keeping their order within an area. */
function byArea(results: readonly CheckResult[]): CheckResult[] {
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => areaRank(a.r.area) - areaRank(b.r.area) || a.i - b.i)
    .map(({ r }) => r);
}

/** The counts line. */
function countsLine(results: readonly CheckResult[]): string {
  const { pass, warn, fail, error, skip } = countByStatus(results);
  return `${pass} passed, ${warn} warning(s), ${fail} failed${error ? `, ${error} could not run` : ''}, ${skip} skipped.`;
}

/** Renders check results as lines for stdout (no trailing newline). */
export function renderChecks(results: readonly CheckResult[], style: Style, view: ChecksView): string[] {
  const sorted = byArea(results);
  const lines: string[] = [];
  const label = (c: CheckResult) =>
    [
      typeof view.id === 'string' ? `${view.id} ${c.id}:` : view.id ? `${c.id}:` : '',
      view.target && c.target ? `${c.target}:` : '',
    ]
      .filter(Boolean)
      .join(' ');
  const problems = sorted.filter((c) => PROBLEM.has(c.status));
  if (view.layout === 'table') {
    const shown = sorted.filter((c) => c.status !== 'skip');
    lines.push(
      renderTable(
        ['STATUS', 'CHECK', 'RESULT'],
        shown.map((c) => [style.status(c.status), c.id, c.summary]),
      ).trimEnd(),
    );
    const fixes = problems.filter((c) => c.remediation);
    if (fixes.length) lines.push('');
    for (const c of fixes) lines.push(`${style.status(c.status)} ${c.id}`, `  fix: ${c.remediation}`);
  } else {
    for (const c of view.layout === 'list' ? sorted.filter((r) => r.status !== 'skip') : problems) {
      const head = label(c);
      lines.push(`${style.status(c.status)} ${head ? `${head} ` : ''}${c.summary}`);
      if (c.remediation && PROBLEM.has(c.status)) lines.push(`  fix: ${c.remediation}`);
    }
  }
  if (view.summary) {
    lines.push('', countsLine(sorted));
    const skipped = sorted.filter((c) => c.status === 'skip').map((c) => c.id);
    if (skipped.length && view.skippedWhy)
      lines.push(style.chalk.dim(`Skipped (${view.skippedWhy}): ${skipped.join(', ')}`));
  }
  return lines;
}
