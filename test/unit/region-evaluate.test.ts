import { describe, expect, it } from 'vitest';
import { evaluateRegion, type CapabilityRow, type UsageRow } from '../../src/region/evaluate.js';

const row = (over: Partial<CapabilityRow> & { cpu?: number; mem?: number }): CapabilityRow => ({
  resourceType: 'containerGroups',
  osType: 'Linux',
  ipAddressType: 'Private',
  gpu: 'None',
  location: 'East US',
  capabilities: { maxCpu: over.cpu ?? 4, maxMemoryInGB: over.mem ?? 16, maxGpuCount: 0 },
  ...over,
});
const usage = (name: string, used: number, limit: number): UsageRow => ({
  name: { value: name },
  currentValue: used,
  limit,
  unit: 'Count',
});
const healthyUsages = [usage('ContainerGroups', 3, 100), usage('StandardCores', 4, 100)];

describe('evaluateRegion', () => {
  const cases: {
    name: string;
    caps: CapabilityRow[];
    usages?: UsageRow[];
    size?: { cpu: number; memoryGB: number };
    expect: { vnet: boolean; fits?: boolean; status: string; failing?: string[] };
  }[] = [
    { name: 'private Linux row', caps: [row({})], expect: { vnet: true, status: 'pass' } },
    {
      name: 'public only',
      caps: [row({ ipAddressType: 'Public' })],
      expect: { vnet: false, status: 'fail', failing: ['region.vnet'] },
    },
    {
      name: 'windows only',
      caps: [row({ osType: 'Windows' })],
      expect: { vnet: false, status: 'fail', failing: ['region.aci-linux', 'region.vnet'] },
    },
    {
      name: 'size fits exactly',
      caps: [row({ cpu: 4, mem: 16 })],
      size: { cpu: 4, memoryGB: 16 },
      expect: { vnet: true, fits: true, status: 'pass' },
    },
    {
      name: 'too much memory',
      caps: [row({ cpu: 4, mem: 16 })],
      size: { cpu: 1, memoryGB: 16.5 },
      expect: { vnet: true, fits: false, status: 'fail', failing: ['region.pod-size'] },
    },
    {
      name: 'GPU row is ignored for VNet limits',
      caps: [row({ cpu: 4, mem: 16 }), row({ gpu: 'V100', cpu: 24, mem: 448 })],
      size: { cpu: 8, memoryGB: 8 },
      expect: { vnet: true, fits: false, status: 'fail', failing: ['region.pod-size'] },
    },
    {
      name: 'no container group quota left',
      caps: [row({})],
      usages: [usage('ContainerGroups', 100, 100), usage('StandardCores', 0, 100)],
      size: { cpu: 1, memoryGB: 1 },
      expect: {
        vnet: true,
        fits: false,
        status: 'fail',
        failing: ['region.quota-container-groups', 'region.pod-size'],
      },
    },
    {
      name: 'cores quota smaller than the pod',
      caps: [row({})],
      usages: [usage('ContainerGroups', 0, 100), usage('StandardCores', 9, 10)],
      size: { cpu: 2, memoryGB: 1 },
      expect: { vnet: true, fits: false, status: 'fail', failing: ['region.quota-cores', 'region.pod-size'] },
    },
    {
      name: 'little headroom warns',
      caps: [row({})],
      usages: [usage('ContainerGroups', 95, 100), usage('StandardCores', 0, 100)],
      expect: { vnet: true, status: 'warn' },
    },
    {
      name: 'case-insensitive fields',
      caps: [row({ resourceType: 'CONTAINERGROUPS', osType: 'linux', ipAddressType: 'private' })],
      expect: { vnet: true, status: 'pass' },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const report = await evaluateRegion({
        location: 'eastus',
        capabilities: c.caps,
        usages: c.usages ?? healthyUsages,
        size: c.size,
      });
      expect(report.vnet).toBe(c.expect.vnet);
      expect(report.fits).toBe(c.expect.fits);
      expect(report.status).toBe(c.expect.status);
      expect(report.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(c.expect.failing ?? []);
    });
  }

  it('reports GPU SKUs as retired, for information only', async () => {
    const report = await evaluateRegion({
      location: 'eastus',
      capabilities: [row({}), row({ gpu: 'K80', ipAddressType: 'Public' })],
      usages: healthyUsages,
    });
    expect(report.gpuSkus).toEqual(['K80']);
    const gpu = report.checks.find((c) => c.id === 'region.gpu');
    expect(gpu?.status).toBe('skip');
    expect(report.status).toBe('pass');
    expect(gpu?.summary).toContain('retired');
  });

  it('takes the largest non-GPU private SKU as the limits', async () => {
    const report = await evaluateRegion({
      location: 'x',
      capabilities: [row({ cpu: 2, mem: 8 }), row({ cpu: 4, mem: 16 })],
      usages: [],
    });
    expect([report.maxCpu, report.maxMemoryInGB]).toEqual([4, 16]);
    expect(report.checks.find((c) => c.id === 'region.quota-cores')?.status).toBe('skip');
  });
});
