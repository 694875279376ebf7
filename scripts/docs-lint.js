// Writes docs/lint-rules.md from the rule registry (run by `npm run docs:lint`, after a build).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown, RULES_DOC } from '../dist/workloads/docs.js';
import { RULES } from '../dist/workloads/registry.js';

const target = fileURLToPath(new URL(`../${RULES_DOC}`, import.meta.url));
writeFileSync(target, renderRulesMarkdown(RULES));
console.log(`wrote ${RULES_DOC} (${RULES.length} rules)`);
