import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/model.js';
import { renderChecks } from '../../src/output/checks.js';
import { createStyle } from '../../src/output/style.js';

const result = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: id,
  area: id.split('.')[0]!,
  status,
  summary: `${id} is ${status}`,
  evidence: [],
  ...extra,
});
const results = [
  result('network.plugin', 'fail', { remediation: 'make a new cluster' }),
  result('region.vnet', 'warn', { target: 'eastus', remediation: 'pick another region' }),
  result('cloud.virtual-nodes', 'pass'),
  result('network.subnet-size', 'skip'),
];

describe('renderChecks', () => {
  it('lists problems grouped by area in dependency order, the fix under each, in plain words without colour', () => {
    expect(renderChecks(results, createStyle(false), { layout: 'problems', target: true })).toEqual([
      'warn eastus: region.vnet is warn',
      '  fix: pick another region',
      'FAIL network.plugin is fail',
      '  fix: make a new cluster',
    ]);
  });

  it('draws a table of what ran, the fixes, and one counts line naming the skipped', () => {
    const lines = renderChecks(results, createStyle(false), { layout: 'table', summary: true, skippedWhy: 'n/a' })
      .join('\n')
      .split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+CHECK\s+RESULT$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[1])).toEqual([
      'cloud.virtual-nodes',
      'region.vnet',
      'network.plugin',
    ]);
    expect(lines).toContain('  fix: make a new cluster');
    expect(lines).toContain('1 passed, 1 warning(s), 1 failed, 1 skipped.');
    expect(lines.at(-1)).toBe('Skipped (n/a): network.subnet-size');
  });

  it('uses ✓ ! ✗ with colour', () => {
    const [line] = renderChecks([result('cloud.virtual-nodes', 'pass')], createStyle(true), { layout: 'list' });
    expect(line).toContain('✓');
    expect(line).toMatch(/\x1b\[32m/);
  });
});
