// docs/lint-rules.md, generated from the registry (`npm run docs:lint`); a unit test fails when the file is stale.
import { ruleAnchor } from './registry.js';
import type { Rule } from './types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The Markdown of docs/lint-rules.md for these rules. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '# vnodes lint rules',
    '',
    '<!-- Generated from src/workloads/registry.ts by `npm run docs:lint`; do not edit by hand. -->',
    '',
    "Severity per stack: `fail` makes `vnodes lint` exit 1, `warn` only with `--strict`; `info` rules (the catalog's",
    'INFO rows) run only with `--info` and never change the exit code; `-` means the rule does not apply there. A',
    'workload that only tolerates the taint (it may burst to the virtual node) gets `warn` for a `fail`.',
    'Silence a rule with the annotation `vnodes.io/lint-ignore: ID[,ID] # reason` on the object or its pod template, or',
    'with `--skip ID`. How lint works: [lint.md](lint.md). Catalog and evidence: research `pain.md` §3.',
    '',
    '| rule | v1 | v2 | title |',
    '|---|---|---|---|',
    ...rules.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity.v1 ?? '-'} | ${r.severity.v2 ?? '-'} | ${cell(r.title)} |`,
    ),
    '',
  ];
  for (const r of rules) {
    lines.push(`## ${r.id}`, '', `**${r.title}** (v1: ${r.severity.v1 ?? '-'}, v2: ${r.severity.v2 ?? '-'})`, '');
    lines.push(r.help, '', `Evidence: ${r.evidence}.`, '');
    if ('kinds' in r) lines.push(`Applies to: ${r.kinds.join(', ')} objects that select virtual-node workloads.`, '');
    else if (r.related)
      lines.push(
        `Also checks ${r.related.kinds.join(', ')} objects of the same run that apply to virtual-node workloads.`,
        '',
      );
  }
  return lines.join('\n');
}

/** Where the generated file lives, relative to the package root. */
export const RULES_DOC = ruleAnchor('x').split('#')[0]!;
