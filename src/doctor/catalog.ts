// The check catalog as rows: what `doctor --list` prints and docs/checks.md is generated from.
import { doctorChecks } from '../checks/doctor.js';

/** One catalog row. */
export interface CatalogRow {
  id: string;
  area: string;
  severity: string;
  catalog: string[];
  title: string;
  stacks: string[];
  requires: string[];
  docs?: string;
}

/** Every doctor check, in display order. */
export function doctorCatalog(): CatalogRow[] {
  return doctorChecks.map((c) => ({
    id: c.id,
    area: c.area,
    severity: c.severity ?? 'P2',
    catalog: [...(c.catalog ?? [])],
    title: c.title,
    stacks: c.tags.filter((t) => t.startsWith('stack:')).map((t) => t.slice('stack:'.length)),
    requires: [...(c.requires ?? [])],
    ...(c.docs ? { docs: c.docs } : {}),
  }));
}

/** docs/checks.md, generated (a test fails when the committed file differs). */
export function checksMarkdown(): string {
  const rows = doctorCatalog();
  const lines = [
    '# vnodes doctor: the check catalog',
    '',
    '<!-- Generated from src/checks/doctor.ts by `npm run docs:checks`; do not edit by hand. -->',
    '',
    'Each check has a stable id (`area.name`), a severity (P0 blocks every pod, P1 is important, P2 is hygiene),',
    'the failure catalog ids it covers (research `VN-*`), the stacks it applies to (all when none is named), and the',
    'checks it requires (it is `skip` when they did not pass). See [doctor.md](doctor.md).',
    '',
    '| id | area | severity | catalog | what it checks | stacks | requires |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.id}\` | ${r.area} | ${r.severity} | ${r.catalog.join(', ')} | ${r.docs ? `[${r.title}](${r.docs})` : r.title} | ${r.stacks.join(', ') || 'all'} | ${r.requires.map((x) => `\`${x}\``).join(', ')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
