import { describe, expect, it } from 'vitest';
import { firstServiceIp, nsgOutbound, probeLines } from '../../src/emulator/arm/aci/probe.js';
import { parseProbeLog } from '../../src/provider/probe-results.js';

describe('the emulated probe image', () => {
  const base = {
    kubernetesIp: '10.0.0.1',
    authorizedIpRanges: false,
    internetDenied: false,
    allDenied: false,
    registry: 'mcr.microsoft.com',
  };
  const cases: { name: string; net: Partial<typeof base>; want: boolean[] }[] = [
    { name: 'healthy', net: {}, want: [true, true, true] },
    {
      name: 'authorized IP ranges: no API server, so no ClusterIP DNS',
      net: { authorizedIpRanges: true },
      want: [false, false, true],
    },
    { name: 'NSG denies Internet outbound', net: { internetDenied: true }, want: [false, false, false] },
    { name: 'an unknown registry host', net: { registry: 'registry.invalid.example' }, want: [true, true, false] },
  ];
  it.each(cases)('$name', ({ net, want }) => {
    const { steps, done } = parseProbeLog(probeLines({ ...base, ...net }, 'g').join('\n'));
    expect(done).toBe(true);
    expect(steps.map((s) => s.ok)).toEqual(want);
  });
  it('the kubernetes service is the first address of the service CIDR', () => {
    expect(firstServiceIp('10.0.0.0/16')).toBe('10.0.0.1');
    expect(firstServiceIp('172.16.4.0/22')).toBe('172.16.4.1');
  });
  const rule = (priority: number, access: string, destinationAddressPrefix: string, direction = 'Outbound') => ({
    priority,
    access,
    destinationAddressPrefix,
    direction,
  });
  it.each([
    { rules: [], want: { internetDenied: false, allDenied: false } },
    { rules: [rule(100, 'Deny', 'Internet')], want: { internetDenied: true, allDenied: false } },
    { rules: [rule(100, 'Deny', '*')], want: { internetDenied: true, allDenied: true } },
    {
      rules: [rule(100, 'Allow', 'Internet'), rule(200, 'Deny', '*')],
      want: { internetDenied: false, allDenied: true },
    },
    { rules: [rule(100, 'Deny', 'Internet', 'Inbound')], want: { internetDenied: false, allDenied: false } },
  ])('NSG outbound %#', ({ rules, want }) => {
    expect(nsgOutbound(rules)).toEqual(want);
  });
});
