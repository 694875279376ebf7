// docs/checks.md is generated from the registry: this fails when the committed file is stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checksMarkdown } from '../../src/doctor/catalog.js';

describe('docs/checks.md', () => {
  it('matches the check registry (regenerate with `npm run docs:checks`)', () => {
    const committed = readFileSync(new URL('../../docs/checks.md', import.meta.url), 'utf8');
    expect(committed, 'docs/checks.md is stale: run npm run docs:checks and commit it').toBe(checksMarkdown());
  });
});
