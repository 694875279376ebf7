import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capacityOf, leaseIsLive, leaseObject, nodeConditions, nodeObject } from '../../src/provider/node.js';
import { createThrottle } from '../../src/azure/throttle.js';
import { transient } from '../../src/provider/controller.js';
import { AzureError } from '../../src/errors.js';

const EXAMPLES = '/work/shared/fixtures/arm-examples/Microsoft.ContainerInstance';
const body = (name: string) => JSON.parse(readFileSync(`${EXAMPLES}/${name}.json`, 'utf8')).responses['200'].body.value;

describe('node capacity from ACI capabilities and quota', () => {
  it('the ARM examples: pods from the ContainerGroups quota', () => {
    const caps = body('CapabilitiesList');
    const usages = body('ContainerGroupUsage');
    const c = capacityOf(caps, usages, false);
    expect(c.pods).toBe('2000');
    expect(Number(c.cpu)).toBeGreaterThan(0);
  });
  it.each([
    [
      [
        { name: { value: 'ContainerGroups' }, limit: 100 },
        { name: { value: 'StandardCores' }, limit: 10 },
      ],
      { pods: '100', cpu: '10', memory: '40000M' },
    ],
    [[], { pods: '100', cpu: '400', memory: '1600000M' }],
  ])('quota %j', (usages, expected) => {
    const caps = [{ osType: 'Linux', ipAddressType: 'Private', capabilities: { maxCpu: 4, maxMemoryInGB: 16 } }];
    expect(capacityOf(caps as never, usages as never, true)).toEqual(expected);
  });
});

describe('node conditions tell the truth', () => {
  const now = '2026-12-01T00:00:00Z';
  it.each([
    [{ arm: { ok: true }, subnet: { ok: true } }, 'True', 'KubeletReady'],
    [{ arm: { ok: false, message: '503' }, subnet: { ok: true } }, 'False', 'AzureUnreachable'],
    [{ arm: { ok: true }, subnet: { ok: false, message: 'not delegated' } }, 'False', 'SubnetUnusable'],
  ])('%j → Ready %s (%s)', (health, status, reason) => {
    const ready = nodeConditions(health, now).find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status, reason });
  });
  it('keeps lastTransitionTime while the status holds', () => {
    const first = nodeConditions({ arm: { ok: true }, subnet: { ok: true } }, now);
    const later = nodeConditions({ arm: { ok: true }, subnet: { ok: true } }, '2026-12-01T01:00:00Z', first);
    expect(later[0]!.lastTransitionTime).toBe(now);
    expect(later[0]!.lastHeartbeatTime).toBe('2026-12-01T01:00:00Z');
  });
  it('labels and taint as the add-on node has them', () => {
    const n = nodeObject({ name: 'x', version: '1', capacity: { cpu: '1', memory: '1G', pods: '1' }, conditions: [] });
    expect(n.metadata?.labels).toMatchObject({
      type: 'virtual-kubelet',
      'kubernetes.io/role': 'agent',
      'kubernetes.io/os': 'linux',
    });
    expect(n.spec?.taints).toEqual([{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }]);
  });
});

describe('leases', () => {
  const t = Date.parse('2026-12-01T00:00:00Z');
  it.each([
    [undefined, false],
    [leaseObject('n', 'h', t - 39_000), true],
    [leaseObject('n', 'h', t - 41_000), false],
  ])('%#: live %s', (lease, live) => expect(leaseIsLive(lease, t)).toBe(live));
});

describe('ARM throttle', () => {
  it('lets a burst through, then the rate, never more than the concurrency at once', async () => {
    let clock = 0;
    const th = createThrottle({ ratePerSecond: 10, burst: 3, concurrency: 2 }, () => clock);
    const got: number[] = [];
    const waits = Array.from({ length: 5 }, (_, i) => th.acquire().then(() => got.push(i)));
    await Promise.resolve();
    expect(got).toEqual([0, 1]);
    th.release();
    await Promise.resolve();
    expect(got).toEqual([0, 1, 2]);
    th.release();
    th.release();
    clock = 200;
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(waits);
  });
});

describe('which ARM failures are retried', () => {
  const arm = (statusCode: number | undefined, code = 'VNODES_AZURE') =>
    new AzureError('x', { armCode: 'X', statusCode, requestId: undefined }, { code });
  it.each([
    [arm(429), true],
    [arm(503), true],
    [arm(500), true],
    [arm(400), false],
    [arm(409), false],
    [arm(undefined, 'VNODES_AZURE_UNREACHABLE'), true],
    [arm(undefined), false],
  ])('%#', (error, retried) => expect(transient(error)).toBe(retried));
});
