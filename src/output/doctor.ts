// Doctor's human rendering: its own header (cluster, stack, what it does not cover) and --fix plan around the check
// list and summary line of the shared renderer (checks.ts), so doctor reads like every other command; `--list`.
import type { CatalogRow } from '../doctor/catalog.js';
import type { DoctorResult } from '../doctor/run.js';
import { renderChecks, summaryLine } from './checks.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** The doctor report for people: its header, the checks through the shared renderer, the --fix plan, the summary. */
export function renderDoctor(r: DoctorResult, style: Style): string {
  const lines = [`Cluster ${r.cluster} (${r.resourceGroup}) · stack: ${r.stack.detected.join(', ') || 'none'}`];
  if (r.stack.notCovered) lines.push(style.chalk.dim(`  ${r.stack.notCovered}.`));
  lines.push(
    '',
    ...renderChecks(r.checks, style, { layout: 'list', id: true, areas: true, skipped: true, evidence: true }),
  );
  if (r.fix) {
    lines.push('', style.chalk.bold(r.fix.dryRun ? 'fix (dry run: nothing was written)' : 'fix'));
    if (!r.fix.plan.length) lines.push('  Nothing safe to fix automatically.');
    for (const s of r.fix.plan)
      lines.push(`  ${r.fix.applied.includes(s.id) ? style.status('pass') : style.status('error')} ${s.action}`);
    for (const q of r.fix.requests)
      lines.push(
        style.chalk.dim(`      ${q.method} ${q.url}${q.body === undefined ? '' : ` ${JSON.stringify(q.body)}`}`),
      );
    for (const e of r.fix.errors)
      lines.push(
        `  ${style.status('fail')} ${e.step}: ${e.message}${e.remediation ? `\n      fix: ${e.remediation}` : ''}`,
      );
    if (r.fix.manual.length) lines.push('  Not automatic (run them yourself if you agree):');
    for (const m of r.fix.manual) lines.push(`    ${m.check}: ${m.command}`);
  }
  const wait = r.wait
    ? ` · waited ${(r.wait.waitedMs / 1000).toFixed(0)} s${r.wait.timedOut ? ', timed out' : ''}`
    : '';
  // Graph is named only when a check read it (a service principal cluster), so most summaries stay as short.
  const apis = [
    `${r.calls.arm} ARM`,
    `${r.calls.kubernetes} Kubernetes`,
    ...(r.calls.graph ? [`${r.calls.graph} Graph`] : []),
  ];
  const list = apis.length > 2 ? `${apis.slice(0, -1).join(', ')} and ${apis.at(-1)}` : apis.join(' and ');
  const calls = ` · ${list} requests in ${(r.durationMs / 1000).toFixed(1)} s`;
  lines.push('', summaryLine(r.checks, `${calls}${wait}`));
  return lines.join('\n') + '\n';
}

/** `doctor --list`. */
export function renderCatalog(rows: CatalogRow[], _style: Style): string {
  return renderTable(
    ['ID', 'AREA', 'SEVERITY', 'CATALOG', 'CHECKS'],
    rows.map((r) => [r.id, r.area, r.severity, r.catalog.join(','), r.title]),
  );
}
