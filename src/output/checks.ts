// The one renderer of check results for people (doctor, check-region, check-network, subnet create, enable): grouped
// by area in dependency order, ✓ ! ✗ with colour (plain words without), the evidence and the fix under each problem,
// and one summary line. The JSON rendering is the results themselves.
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
  /** With `list`: a bold header over each area, its checks indented under it. */
  areas?: boolean;
  /** With `list`: the skipped checks too, each saying why (which check it needed). */
  skipped?: boolean;
  /** Under each problem, before its fix, the first evidence lines: field = value (where). */
  evidence?: boolean;
  /** End with the counts line ("3 passed, 1 warning(s), 0 failed, 0 could not be checked, 2 skipped."). */
  summary?: boolean;
  /** With `summary`: a dim line naming the skipped checks, and why they typically skip. */
  skippedWhy?: string;
}

const PROBLEM: ReadonlySet<CheckStatus> = new Set(['warn', 'fail', 'error']);
const EVIDENCE_LINES = 4;
const OTHER = 'other';

/** Results grouped by area in dependency order (areas the registry does not list last), keeping their order within. */
function byArea(results: readonly CheckResult[]): CheckResult[] {
  const areas = [...AREAS, ...new Set(results.map((r) => r.area ?? OTHER))].filter((a, i, all) => all.indexOf(a) === i);
  const rank = new Map(areas.map((a, i) => [a, i]));
  return results
    .map((r, i) => ({ r, i, rank: rank.get(r.area ?? OTHER)! }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ r }) => r);
}

/** The counts line, with `tail` (", in 0.4 s") before its full stop. */
export function summaryLine(results: readonly CheckResult[], tail = ''): string {
  const { pass, warn, fail, error, skip } = countByStatus(results);
  return `${pass} passed, ${warn} warning(s), ${fail} failed, ${error} could not be checked, ${skip} skipped${tail}.`;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
// A long value (a log line) keeps its start and its end, where the error usually is.
const clip = (text: string): string => (text.length <= 320 ? text : `${text.slice(0, 120)} … ${text.slice(-190)}`);
// ARM ids are long; people see the resource's type and name (the JSON keeps the whole id).
const where = (source: string): string =>
  source.startsWith('/subscriptions/') ? source.split('/').slice(-2).join('/') : source;

/** The lines under one problem: its evidence (when asked) and its fix, `indent` deep. */
function details(c: CheckResult, style: Style, view: ChecksView, indent: string): string[] {
  if (!PROBLEM.has(c.status)) return [];
  const lines = view.evidence
    ? c.evidence
        .slice(0, EVIDENCE_LINES)
        .map((e) =>
          style.chalk.dim(`${indent}${e.field} = ${clip(show(e.value))}${e.source ? `  (${where(e.source)})` : ''}`),
        )
    : [];
  if (c.remediation) lines.push(`${indent}${style.chalk.cyan('fix:')} ${c.remediation}`);
  return lines;
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
    const fixes = problems.filter((c) => c.remediation || (view.evidence && c.evidence.length));
    if (fixes.length) lines.push('');
    for (const c of fixes) lines.push(`${style.status(c.status)} ${c.id}`, ...details(c, style, view, '  '));
  } else {
    const shown =
      view.layout === 'problems' ? problems : sorted.filter((r) => view.skipped === true || r.status !== 'skip');
    const indent = view.areas ? '  ' : '';
    let area: string | undefined;
    for (const c of shown) {
      if (view.areas && (c.area ?? OTHER) !== area) {
        if (area !== undefined) lines.push('');
        area = c.area ?? OTHER;
        lines.push(style.chalk.bold(area));
      }
      const head = label(c);
      lines.push(`${indent}${style.status(c.status)} ${head ? `${head} ` : ''}${c.summary}`);
      lines.push(...details(c, style, view, `${indent}  `));
    }
  }
  if (view.summary) {
    lines.push('', summaryLine(sorted));
    const skipped = sorted.filter((c) => c.status === 'skip').map((c) => c.id);
    if (skipped.length && view.skippedWhy)
      lines.push(style.chalk.dim(`Skipped (${view.skippedWhy}): ${skipped.join(', ')}`));
  }
  return lines;
}
