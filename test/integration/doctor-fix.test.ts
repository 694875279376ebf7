// doctor --fix and --wait against the emulator: the plan, consent, --dry-run, the re-check, an idempotent second run
// (read from the emulator's ARM and Kubernetes request logs), and waiting for failing checks to pass.
import { ResourceManagementClient } from '@azure/arm-resources';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';
import { sdkClients } from '../helpers/emulated.js';

const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const FAST = ['--poll-interval', '50ms'];
const FIXABLE = [
  'region.provider-registered',
  'addon.enabled',
  'network.subnet-exists',
  'network.subnet-delegation',
  'identity.exists',
  'identity.subnet-role',
  'connector.running',
  'node.ready',
];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function on(scenario: string) {
  emulator = await startEmulator({ scenario, lroDelayMs: 10, principalPropagationMs: 0, connectorReconcileMs: 50 });
  return emulator;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
async function writes(emu: Emulator): Promise<{ arm: number; kube: number }> {
  const kube = (await emu.kube()).requests.filter((r) => WRITE_VERBS.has(r.verb)).length;
  return { arm: emu.requests.count({ kind: 'write' }), kube };
}

type Check = { id: string; status: string };
const statusOf = (doc: { checks: Check[] }, id: string) => doc.checks.find((c) => c.id === id)?.status;

describe('vnodes doctor --fix', () => {
  for (const scenario of ['missing-role', 'healthy']) {
    it(`${scenario}: fixes every fixable check, then a second run writes nothing`, async () => {
      const emu = await on(scenario);
      const first = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
      const doc = first.json();
      expect(doc.fix.plan.length, first.stderr).toBeGreaterThan(0);
      expect(doc.fix.errors).toEqual([]);
      for (const id of FIXABLE) expect([id, statusOf(doc, id)]).not.toEqual([id, 'fail']);
      for (const id of ['addon.enabled', 'identity.subnet-role', 'connector.running', 'node.ready'])
        expect([id, statusOf(doc, id)]).toEqual([id, 'pass']);
      expect(first.exitCode, first.stdout).toBe(0);
      expect(first.stderr).toMatch(/fix plan: /);

      const before = await writes(emu);
      const second = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
      expect(second.exitCode).toBe(0);
      expect(second.json().fix.plan).toEqual([]);
      expect(await writes(emu)).toEqual(before);
    });
  }

  it('missing-role: the plan is the role grant and the connector restart', async () => {
    const emu = await on('missing-role');
    const r = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
    const fix = r.json().fix;
    expect(fix.plan.map((s: { id: string }) => s.id)).toEqual(['enable', 'restart-connector']);
    expect(
      fix.requests.map(
        (q: { method: string; url: string }) => `${q.method} ${q.url.split('?')[0]!.split('/').slice(-2).join('/')}`,
      ),
    ).toEqual([
      expect.stringMatching(/^PUT roleAssignments\//),
      expect.stringMatching(/^DELETE pods\/aci-connector-linux-/),
    ]);
  });

  it('aci-role-missing: re-grants Contributor on the node resource group, restarts the connector; a second run writes nothing', async () => {
    const emu = await on('aci-role-missing');
    const r = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
    const doc = r.json();
    expect(doc.fix.plan.map((s: { id: string }) => s.id)).toEqual(['grant-aci-role', 'restart-connector']);
    expect(doc.fix.requests[0]).toMatchObject({
      method: 'PUT',
      url: expect.stringMatching(
        /\/resourceGroups\/MC_rg-aks_aks-demo_eastus\/providers\/Microsoft\.Authorization\/roleAssignments\//,
      ),
      body: { properties: { roleDefinitionId: expect.stringMatching(/b24988ac-6180-42a0-ab88-20f7382dd24c$/) } },
    });
    expect(statusOf(doc, 'identity.aci-role')).toBe('pass');
    expect(r.exitCode, r.stdout).toBe(0);
    const before = await writes(emu);
    const second = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(second.json().fix.plan).toEqual([]);
    expect(await writes(emu)).toEqual(before);
  });

  it('identity-deleted: nothing automatic (disable would remove the virtual node); the re-enable is listed to run', async () => {
    const emu = await on('identity-deleted');
    const r = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
    const fix = r.json().fix;
    expect(fix.plan).toEqual([]);
    expect(fix.manual).toContainEqual({
      check: 'identity.exists',
      command: expect.stringMatching(/^vnodes disable --cluster aks-demo -g rg-aks, then vnodes enable/),
    });
    expect(r.exitCode).toBe(1);
    expect((await writes(emu)).arm).toBe(0);
  });

  it('--dry-run prints every write and makes none', async () => {
    const emu = await on('healthy');
    const r = await run(['doctor', ...CLUSTER, '--fix', '--dry-run', ...FAST], emu.env());
    expect(r.stdout).toMatch(/fix \(dry run: nothing was written\)/);
    expect(r.stdout).toMatch(
      /PUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/subnets\/virtual-node-aci\?api-version=/,
    );
    expect(r.stdout).toMatch(
      /PUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/managedClusters\/aks-demo\?api-version=/,
    );
    expect(await writes(emu)).toEqual({ arm: 0, kube: 0 });
    expect(r.exitCode).toBe(1);
  });

  it('asks once and stops with exit 2 naming --yes when nobody can answer', async () => {
    const emu = await on('missing-role');
    const r = await run(['doctor', ...CLUSTER, '--fix', ...FAST], emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect((await writes(emu)).arm).toBe(0);
  });

  it('rp-unregistered: registers the provider, then enables', async () => {
    const emu = await on('rp-unregistered');
    const r = await run(['doctor', ...CLUSTER, '--fix', '--yes', ...FAST, '-o', 'json'], emu.env());
    const doc = r.json();
    expect(doc.fix.plan[0].id).toBe('register-provider');
    expect(statusOf(doc, 'region.provider-registered')).toBe('pass');
    expect(emu.requests.count({ operation: 'Providers_Register' })).toBe(1);
  });
});

describe('vnodes doctor checks that need Azure state changed under it', () => {
  it('identity.aci-role fails once the node resource group grant is gone; identity.exists once the identity is', async () => {
    const emu = await on('addon-enabled');
    const { authz } = sdkClients(emu);
    const group = `subscriptions/${emu.subscriptionId}/resourceGroups/MC_rg-aks_aks-demo_eastus`;
    for await (const a of authz.roleAssignments.listForScope(group, { filter: 'atScope()' }))
      if (a.scope?.toLowerCase() === `/${group}`.toLowerCase()) await authz.roleAssignments.deleteById(a.id!);
    let r = await run(['doctor', ...CLUSTER, '--only', 'identity', '-o', 'json'], emu.env());
    expect(statusOf(r.json(), 'identity.aci-role')).toBe('fail');
    expect(r.json().checks.find((c: { id: string }) => c.id === 'identity.aci-role').remediation).toMatch(
      /az role assignment create .* --role Contributor --scope \/subscriptions\/.*\/resourceGroups\/MC_rg-aks_aks-demo_eastus/,
    );

    const credential = { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3600e3 }) };
    const resources = new ResourceManagementClient(credential, emu.subscriptionId, {
      endpoint: emu.armEndpoint.replace(/\/$/, ''),
      tlsOptions: { ca: emu.caPem },
    } as never);
    await resources.resources.beginDeleteByIdAndWait(
      `/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aciconnectorlinux-aks-demo`,
      '2023-01-31',
    );
    r = await run(['doctor', ...CLUSTER, '--only', 'identity', '-o', 'json'], emu.env());
    expect(statusOf(r.json(), 'identity.exists')).toBe('fail');
    expect(statusOf(r.json(), 'identity.subnet-role')).toBe('skip');
  });
});

describe('vnodes doctor --wait', () => {
  it('re-runs the failing checks until they pass (the role granted while it waits)', async () => {
    const emu = await on('missing-role');
    const { authz } = sdkClients(emu);
    const subnet = `/subscriptions/${emu.subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/virtual-node-aci`;
    const grant = new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        authz.roleAssignments
          .create(subnet.slice(1), '0b6f3c1e-2d4a-4e8b-9c7d-1a2b3c4d5e6f', {
            roleDefinitionId: `/subscriptions/${emu.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7`,
            principalId: '5c1e9a7b-2d4f-4b6a-8e3c-7f9d1b2a4c6e',
            principalType: 'ServicePrincipal',
          })
          .then(() => resolve(), reject);
      }, 300),
    );
    const r = await run(['doctor', ...CLUSTER, '--wait', '30s', ...FAST, '-o', 'json'], emu.env());
    await grant;
    const doc = r.json();
    expect(r.exitCode, JSON.stringify(doc.checks.filter((c: Check) => c.status === 'fail'))).toBe(0);
    expect(doc.wait.rounds).toBeGreaterThan(0);
    expect(doc.wait.timedOut).toBe(false);
    expect(statusOf(doc, 'node.ready')).toBe('pass');
  });

  it('gives up when the time runs out, exit 1', async () => {
    const emu = await on('missing-role');
    const r = await run(['doctor', ...CLUSTER, '--wait', '300ms', ...FAST, '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.json().wait.timedOut).toBe(true);
  });
});
