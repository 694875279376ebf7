// Doctor's human rendering: grouped by area in dependency order, ✓ ! ✗ (plain words without colour), the evidence
// and the fix under each problem, one summary line.
import { AREAS } from '../checks/registry.js';
import type { CatalogRow } from '../doctor/catalog.js';
import type { DoctorResult } from '../doctor/run.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
// A long value (a log line) keeps its start and its end, where the error usually is.
const clip = (text: string): string => (text.length <= 320 ? text : `${text.slice(0, 120)} … ${text.slice(-190)}`);
// ARM ids are long; people see the resource's type and name (the JSON keeps the whole id).
const where = (source: string): string =>
  source.startsWith('/subscriptions/') ? source.split('/').slice(-2).join('/') : source;

/** The doctor report for people. */
export function renderDoctor(r: DoctorResult, style: Style): string {
  const lines = [`Cluster ${r.cluster} (${r.resourceGroup}) · stack: ${r.stack.detected.join(', ') || 'none'}`];
  if (r.stack.notCovered) lines.push(style.chalk.dim(`  ${r.stack.notCovered}.`));
  const areas = [...AREAS, ...new Set(r.checks.map((c) => c.area ?? 'other'))].filter(
    (a, i, all) => all.indexOf(a) === i,
  );
  for (const area of areas) {
    const checks = r.checks.filter((c) => (c.area ?? 'other') === area);
    if (!checks.length) continue;
    lines.push('', style.chalk.bold(area));
    for (const c of checks) {
      lines.push(`  ${style.status(c.status)} ${c.id}  ${c.summary}`);
      if (c.status === 'fail' || c.status === 'error' || c.status === 'warn') {
        for (const e of c.evidence.slice(0, 4))
          lines.push(
            style.chalk.dim(`      ${e.field} = ${clip(show(e.value))}${e.source ? `  (${where(e.source)})` : ''}`),
          );
        if (c.remediation) lines.push(`      ${style.chalk.cyan('fix:')} ${c.remediation}`);
      }
    }
  }
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
  const { pass, warn, fail, error, skip } = r.counts;
  lines.push(
    '',
    `${pass} passed, ${warn} warning(s), ${fail} failed, ${error} could not be checked, ${skip} skipped · ${r.calls.arm} ARM and ${r.calls.kubernetes} Kubernetes requests in ${(r.durationMs / 1000).toFixed(1)} s${r.wait ? ` · waited ${(r.wait.waitedMs / 1000).toFixed(0)} s${r.wait.timedOut ? ', timed out' : ''}` : ''}.`,
  );
  return lines.join('\n') + '\n';
}

/** `doctor --list`. */
export function renderCatalog(rows: CatalogRow[], _style: Style): string {
  return renderTable(
    ['ID', 'AREA', 'SEVERITY', 'CATALOG', 'CHECKS'],
    rows.map((r) => [r.id, r.area, r.severity, r.catalog.join(','), r.title]),
  );
}
