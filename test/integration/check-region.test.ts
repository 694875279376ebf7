import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
async function on(scenario: string, options: Parameters<typeof startEmulator>[0] = {}) {
  emulator = await startEmulator({ scenario, lroDelayMs: 5, ...options });
  return emulator;
}

describe('check-region against the emulator', () => {
  it('finds East US fit for a 2 vCPU / 4 GB pod (exit 0, json)', async () => {
    const emu = await on('healthy');
    const r = await run(
      ['check-region', '--location', 'East US', '--cpu', '2', '--memory', '4', '-o', 'json'],
      emu.env(),
    );
    expect(r.exitCode).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'check-region',
      passed: true,
      usable: ['eastus'],
      request: { cpu: 2, memoryGB: 4 },
    });
    expect(doc.regions[0]).toMatchObject({ location: 'eastus', displayName: 'East US', vnet: true, fits: true });
    expect(doc.regions[0].checks.find((c: { id: string }) => c.id === 'region.pod-size').status).toBe('pass');
    expect(r.stderr).toBe('');
  });

  it('says a pod over the region maximum does not fit (exit 1)', async () => {
    const emu = await on('healthy');
    const r = await run(['check-region', '-l', 'eastus', '--cpu', '8', '--memory', '4'], emu.env());
    expect(r.exitCode).toBe(1);
    // region.pod-size is the check that says so.
    const json = await run(['check-region', '-l', 'eastus', '--cpu', '8', '--memory', '4', '-o', 'json'], emu.env());
    const size = json.json().regions[0].checks.find((c: { id: string }) => c.id === 'region.pod-size');
    expect(size).toMatchObject({ status: 'fail', summary: expect.stringMatching(/8 vCPU is over the 4 vCPU maximum/) });
    expect(r.stdout).toContain('8 vCPU is over the 4 vCPU maximum');
    expect(r.stdout).toContain('No checked region can host virtual-node pods for 8 vCPU / 4 GB.');
  });

  it('exits 2 for an unknown region and suggests the nearest', async () => {
    const emu = await on('healthy');
    const r = await run(['check-region', '--location', 'eastsu'], emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Unknown region "eastsu"');
    expect(r.stderr).toContain('--location eastus');
  });

  it('checks every region with --all in bounded parallel requests', async () => {
    const emu = await on('healthy');
    const r = await run(['check-region', '--all', '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(0);
    const doc = r.json();
    expect(doc.regions.length).toBeGreaterThan(20);
    const publicOnly = doc.regions
      .filter((x: { vnet: boolean }) => !x.vnet)
      .map((x: { location: string }) => x.location);
    expect(publicOnly).toContain('westcentralus');
    expect(doc.usable).not.toContain('westcentralus');
    // One provider read plus a capabilities and a usages read per region: nothing more.
    expect(emu.requests.count()).toBe(1 + 2 * doc.regions.length);
  });

  it('marks one unreadable region as error and still reports the others with --all', async () => {
    const emu = await on('healthy', { faults: '403:x1:GET */locations/ukwest/usages' });
    const r = await run(['check-region', '--all', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    const ukwest = doc.regions.find((x: { location: string }) => x.location === 'ukwest');
    expect(ukwest).toMatchObject({ status: 'error', checks: [{ id: 'region.read', status: 'error' }] });
    expect(ukwest.checks[0].summary).toContain('AuthorizationFailed');
    expect(doc.usable).toContain('eastus');
  });

  it('fails on a region with no quota left (exit 1, quota evidence)', async () => {
    const emu = await on('no-quota');
    const r = await run(['check-region', '-l', 'eastus', '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(1);
    const region = r.json().regions[0];
    const failed = region.checks
      .filter((c: { status: string }) => c.status === 'fail')
      .map((c: { id: string }) => c.id);
    expect(failed).toContain('region.quota-container-groups');
  });

  it('fails on a region where ACI has no VNet support', async () => {
    const emu = await on('region-without-vnet');
    const r = await run(['check-region', '-l', 'eastus'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('offers only public IPs');
  });

  it('fails with the register command when the provider is not registered', async () => {
    const emu = await on('rp-unregistered');
    const r = await run(['check-region', '-l', 'eastus', '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(1);
    const doc = r.json();
    expect(doc.checks[0]).toMatchObject({
      id: 'region.provider-registered',
      status: 'fail',
      remediation: 'az provider register --namespace Microsoft.ContainerInstance --wait',
    });
    expect(emu.requests.count({ operation: 'Location_ListCapabilities' })).toBe(0);
  });

  it('survives 429 and 503 from ARM through the SDK retry policy', async () => {
    const emu = await on('healthy', { faults: '429/0:x2:Location_ListCapabilities;503/0:x1:Location_ListUsage' });
    const r = await run(['check-region', '-l', 'eastus'], emu.env());
    expect(r.exitCode).toBe(0);
    expect(emu.requests.count({ status: 429 })).toBe(2);
    expect(emu.requests.count({ status: 503 })).toBe(1);
  });

  it('reports a dropped connection clearly after the retries (exit 1, no stack)', async () => {
    const emu = await on('healthy', { faults: 'drop:x10:Location_ListCapabilities' });
    const r = await run(['check-region', '-l', 'eastus'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /Lost the connection to Azure Resource Manager \(127\.0\.0\.1:\d+\) while listing ACI capabilities in eastus/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 4 when ARM rejects the token, showing ARM code and request id', async () => {
    const emu = await on('healthy');
    const r = await run(['check-region', '-l', 'eastus'], { ...emu.env(), VNODES_ARM_TOKEN: 'wrong' });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('401 InvalidAuthenticationToken');
    expect(r.stderr).toMatch(/x-ms-request-id: [0-9a-f-]{36}/);
  });

  it('logs every HTTP call with --debug and never the token', async () => {
    const emu = await on('healthy');
    const r = await run(['check-region', '-l', 'eastus', '--debug'], emu.env());
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(
      /debug: GET https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/providers\/Microsoft\.ContainerInstance\?api-version=\S+ -> 200 in \d+ ms x-ms-request-id=/,
    );
    expect(r.stderr.match(/-> 200/g)?.length).toBe(3);
    expect(r.stderr).not.toContain(emu.token);
    expect(r.stdout).not.toContain(emu.token);
  });

  it('reports every region correctly through a 429 storm, each throttled read sent again once', async () => {
    const emu = await on('healthy', { faults: '429/50ms:0.5:GET */locations/*', seed: 7 });
    const r = await run(['check-region', '--all', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc.calls).toMatchObject({ arm: emu.requests.count(), kubernetes: 0 });
    const calm = await (async () => {
      emu.setFaults([]);
      return (await run(['check-region', '--all', '-o', 'json'], emu.env())).json();
    })();
    expect(doc.regions.length).toBe(calm.regions.length);
    expect(doc.regions.filter((x: { status: string }) => x.status === 'error')).toEqual([]);
    expect(doc.usable).toEqual(calm.usable);
    const throttled = emu.requests.entries.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(5);
    // The client counted what the server saw, and each region read ended in exactly one 200.
    expect(doc.calls.throttled).toBe(throttled.length);
    const stormy = emu.requests.entries.slice(0, doc.calls.arm);
    const paths = new Set(stormy.filter((e) => e.path.includes('/locations/')).map((e) => e.path));
    for (const path of paths) {
      const tries = stormy.filter((e) => e.path === path);
      expect(tries.filter((e) => e.status === 200).length, path).toBe(1);
      expect(tries.at(-1)!.status, path).toBe(200);
    }
  });
});
