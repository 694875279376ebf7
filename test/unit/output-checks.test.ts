import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/model.js';
import { renderChecks, summaryLine } from '../../src/output/checks.js';
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
    expect(lines).toContain('1 passed, 1 warning(s), 1 failed, 0 could not be checked, 1 skipped.');
    expect(lines.at(-1)).toBe('Skipped (n/a): network.subnet-size');
  });

  it('uses ✓ ! ✗ with colour', () => {
    const [line] = renderChecks([result('cloud.virtual-nodes', 'pass')], createStyle(true), { layout: 'list' });
    expect(line).toContain('✓');
    expect(line).toMatch(/\x1b\[32m/);
  });

  it('with areas: a header over each area in dependency order (unknown areas last), the skipped too', () => {
    const mixed = [
      result('zeta.thing', 'pass', { area: 'zeta' }),
      ...results,
      result('stack.detected', 'pass'),
      result('network.vnet', 'pass'),
    ];
    expect(renderChecks(mixed, createStyle(false), { layout: 'list', id: true, areas: true, skipped: true })).toEqual([
      'stack',
      '  ok stack.detected: stack.detected is pass',
      '',
      'cloud',
      '  ok cloud.virtual-nodes: cloud.virtual-nodes is pass',
      '',
      'region',
      '  warn region.vnet: region.vnet is warn',
      '    fix: pick another region',
      '',
      'network',
      '  FAIL network.plugin: network.plugin is fail',
      '    fix: make a new cluster',
      '  skip network.subnet-size: network.subnet-size is skip',
      '  ok network.vnet: network.vnet is pass',
      '',
      'zeta',
      '  ok zeta.thing: zeta.thing is pass',
    ]);
  });

  it('puts the first evidence under a problem, long values clipped and ARM ids shortened, before the fix', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci';
    const log = `start ${'x'.repeat(400)} AuthorizationFailed end`;
    const evidence = [
      { field: 'logs', value: log, source: 'pod kube-system/aci-connector-linux-1' },
      { field: 'properties.delegations', value: [], source: id },
      { field: 'c', value: 3 },
      { field: 'd', value: true },
      { field: 'e', value: 'never shown' },
    ];
    const lines = renderChecks(
      [result('network.subnet-delegation', 'fail', { evidence, remediation: 'delegate it' })],
      createStyle(false),
      { layout: 'list', id: true, evidence: true },
    );
    expect(lines[0]).toBe('FAIL network.subnet-delegation: network.subnet-delegation is fail');
    expect(lines[1]).toMatch(
      /^ {2}logs = start x+ … x+ AuthorizationFailed end {2}\(pod kube-system\/aci-connector-linux-1\)$/,
    );
    expect(lines[1]!.length).toBeLessThan(log.length);
    expect(lines.slice(2)).toEqual([
      '  properties.delegations = []  (subnets/aci)',
      '  c = 3',
      '  d = true',
      '  fix: delegate it',
    ]);
    // Evidence is for problems: a passing check shows none.
    const passed = renderChecks([result('network.vnet', 'pass', { evidence })], createStyle(false), {
      layout: 'list',
      evidence: true,
    });
    expect(passed).toEqual(['ok network.vnet is pass']);
  });

  it('ends with one summary line, a tail before its full stop', () => {
    expect(summaryLine(results, ' · 3 ARM requests')).toBe(
      '1 passed, 1 warning(s), 1 failed, 0 could not be checked, 1 skipped · 3 ARM requests.',
    );
  });

  it('colours the fix label and dims the evidence with colour; plain without', () => {
    const c = result('network.plugin', 'fail', { remediation: 'r', evidence: [{ field: 'f', value: 'v' }] });
    const colour = renderChecks([c], createStyle(true), { layout: 'problems', evidence: true });
    expect(colour[0]).toContain('✗');
    expect(colour[1]).toMatch(/^\x1b\[2m {2}f = v\x1b\[22m$/);
    expect(colour[2]).toMatch(/^ {2}\x1b\[36mfix:\x1b\[39m r$/);
  });
});
