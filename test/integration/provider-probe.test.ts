import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Emulator } from '../../src/emulator/index.js';
import { kubeClient, sdkClients, startEmulated, until } from '../helpers/emulated.js';
import { aciClient } from '../helpers/aci.js';
import { run } from '../helpers/run-cli.js';

const RG = 'MC_rg-aks_aks-demo_eastus';
const PROBE = ['provider', 'probe', '--cluster', 'aks-demo', '-g', 'rg-aks', '--image', 'emulator/probe', '-o', 'json'];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function ready(scenario = 'addon-enabled'): Promise<Emulator> {
  const emu = (emulator = await startEmulated({ scenario }));
  const core = await kubeClient(emu);
  await until(
    async () => (await core.listNode()).items.some((n) => n.metadata?.name === 'virtual-node-aci-linux'),
    10_000,
  );
  return emu;
}

/** Nothing of the probe is left: no probe pod, no container group. */
async function nothingLeft(emu: Emulator): Promise<void> {
  const core = await kubeClient(emu);
  const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'vnodes.io/probe' });
  expect(pods.items).toEqual([]);
  const groups = [];
  for await (const g of aciClient(emu).containerGroups.listByResourceGroup(RG)) groups.push(g.name);
  expect(groups.filter((n) => n?.includes('probe'))).toEqual([]);
}

const verdicts = (doc: { steps: { step: string; ok: boolean }[] }) =>
  Object.fromEntries(doc.steps.map((s) => [s.step, s.ok]));

describe('vnodes provider probe', () => {
  it('healthy: every step passes and the pod and its group are gone', async () => {
    const emu = await ready();
    const r = await run(PROBE, emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc.kind).toBe('provider-probe');
    expect(verdicts(doc)).toEqual({ running: true, dns: true, apiserver: true, registry: true, cleanup: true });
    expect(doc.steps.find((s: { step: string }) => s.step === 'dns').evidence).toBe('10.0.0.1');
    await nothingLeft(emu);
  });

  it('authorized IP ranges: the API server step fails (and DNS, which needs it), exit 1', async () => {
    const emu = await ready();
    const { aks } = sdkClients(emu);
    const cluster = await aks.managedClusters.get('rg-aks', 'aks-demo');
    await aks.managedClusters.beginCreateOrUpdateAndWait('rg-aks', 'aks-demo', {
      ...cluster,
      apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] },
    });
    const r = await run(PROBE, emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    expect(verdicts(r.json())).toEqual({ running: true, dns: false, apiserver: false, registry: true, cleanup: true });
    await nothingLeft(emu);
  });

  it('an NSG on the ACI subnet that denies outbound Internet: DNS, the API server and the registry fail', async () => {
    // addon-enabled with an NSG on its ACI subnet (the scenario's subnet body, plus the reference).
    const shipped = parse(
      await readFile(new URL('../../src/emulator/scenarios/addon-enabled.yaml', import.meta.url), 'utf8'),
    );
    const subnet = shipped.resources.find(
      (r: { type: string }) => r.type === 'Microsoft.Network/virtualNetworks/subnets',
    );
    const nsgId =
      '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/aci-nsg';
    const nsg = {
      id: nsgId,
      name: 'aci-nsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'eastus',
      properties: {
        securityRules: [
          {
            name: 'deny-internet',
            properties: {
              direction: 'Outbound',
              access: 'Deny',
              priority: 100,
              protocol: '*',
              destinationAddressPrefix: 'Internet',
            },
          },
        ],
      },
    };
    subnet.properties.networkSecurityGroup = { id: nsgId };
    const dir = await mkdtemp(join(tmpdir(), 'vnodes-probe-'));
    try {
      const file = join(dir, 'nsg.yaml');
      await writeFile(file, stringify({ extends: 'addon-enabled', resources: [nsg, subnet] }));
      const emu = await ready(file);
      const r = await run(PROBE, emu.env());
      expect(r.exitCode, r.stderr).toBe(1);
      expect(verdicts(r.json())).toEqual({
        running: true,
        dns: false,
        apiserver: false,
        registry: false,
        cleanup: true,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unknown registry: the registry step fails', async () => {
    const emu = await ready();
    const r = await run([...PROBE, '--registry', 'registry.invalid.example'], emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = r.json();
    expect(verdicts(doc)).toEqual({ running: true, dns: true, apiserver: true, registry: false, cleanup: true });
    expect(doc.registry).toBe('registry.invalid.example');
    const human = await run(PROBE.slice(0, -2).concat('--registry', 'registry.invalid.example'), emu.env());
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/FAIL reaches the registry: unreachable/);
    expect(human.stdout).toMatch(/ok resolves kubernetes\.default\.svc: 10\.0\.0\.1/);
  });

  it('an image ACI cannot pull: the running step fails with the reason, and cleanup still happens', async () => {
    const emu = await ready();
    const r = await run([...PROBE, '--image', 'registry.invalid.example/probe:1'], emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = r.json();
    expect(verdicts(doc)).toMatchObject({ running: false, cleanup: true });
    expect(doc.steps[0].evidence).toMatch(/ProviderFailed|InaccessibleImage/);
    await nothingLeft(emu);
  });

  it('Ctrl-C: exit 130, and the pod and its container group are gone', async () => {
    const emu = await ready();
    const controller = new AbortController();
    const aci = aciClient(emu);
    const seen = (async () => {
      await until(async () => {
        for await (const g of aci.containerGroups.listByResourceGroup(RG)) if (g.name?.includes('probe')) return true;
        return false;
      }, 10_000);
      controller.abort();
    })();
    // emulator/pull-backoff never runs, so the probe is still waiting when it is interrupted.
    const r = await run([...PROBE, '--image', 'emulator/pull-backoff'], emu.env(), { signal: controller.signal });
    await seen;
    expect(r.exitCode, r.stderr).toBe(130);
    await nothingLeft(emu);
  });

  it('--dry-run: prints the pod it would create and touches nothing', async () => {
    const r = await run([...PROBE, '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc.steps).toEqual([]);
    expect(doc.wouldCreate.spec.restartPolicy).toBe('Never');
    expect(doc.wouldCreate.spec.containers[0].image).toBe('emulator/probe');
  });

  it('bad input: exit 2 naming the value', async () => {
    const r = await run([...PROBE, '--registry', 'not a host']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--registry "not a host"');
  });
});
