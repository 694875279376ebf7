import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';
import { emulatorPerTest, kubeClient, sdkClients, until } from '../helpers/emulated.js';

const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const FAST = ['--poll-interval', '50ms'];
const emulators = emulatorPerTest(afterEach);
const on = emulators.on;
const writes = (emu: Emulator) => emu.requests.count({ kind: 'write' });

describe('vnodes enable', () => {
  it('enables virtual nodes end to end on a fresh cluster', async () => {
    const emu = await on('healthy');
    const r = await run(['enable', ...CLUSTER, '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({
      kind: 'enable',
      changed: true,
      subnet: { action: 'created', name: 'virtual-node-aci' },
      addon: { action: 'enabled' },
      role: { action: 'created' },
    });
    expect(doc.wait).toMatchObject({
      node: { ready: true },
      connector: { running: true },
      source: 'listClusterUserCredential',
    });

    const { aks, network, authz } = sdkClients(emu);
    const subnet = await network.subnets.get('rg-network', 'aks-vnet', 'virtual-node-aci');
    expect(subnet.delegations?.map((d) => d.serviceName)).toEqual(['Microsoft.ContainerInstance/containerGroups']);
    const cluster = await aks.managedClusters.get('rg-aks', 'aks-demo');
    expect(cluster.addonProfiles?.aciConnectorLinux).toMatchObject({
      enabled: true,
      config: { SubnetName: 'virtual-node-aci' },
    });
    const principalId = cluster.addonProfiles!.aciConnectorLinux!.identity!.objectId!;
    const grants = [];
    for await (const a of authz.roleAssignments.listForScope(subnet.id!.slice(1), {
      filter: `principalId eq '${principalId}'`,
    }))
      grants.push(a);
    expect(grants.map((g) => g.roleDefinitionId?.split('/').pop())).toContain('4d97b98b-1d4f-4787-a291-c67834d212e7');
    const node = await (await kubeClient(emu)).readNode({ name: 'virtual-node-aci-linux' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    // Subnet PUT, cluster PUT, role PUT: nothing else written.
    expect(writes(emu)).toBe(3);
  });

  it('changes nothing on a second run, and says so', async () => {
    const emu = await on('healthy');
    expect((await run(['enable', ...CLUSTER, '--yes', ...FAST], emu.env())).exitCode).toBe(0);
    emu.requests.clear();
    const again = await run(['enable', ...CLUSTER, ...FAST], emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Virtual nodes were already enabled on aks-demo: nothing changed.');
    expect(writes(emu)).toBe(0);
  });

  it('stops at preflight on a kubenet cluster (exit 1, no writes)', async () => {
    const emu = await on('kubenet');
    const r = await run(['enable', ...CLUSTER, '--yes'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Preflight found');
    expect(r.stderr).toContain('network.plugin');
    expect(writes(emu)).toBe(0);
  });

  it('needs --yes when not interactive, and writes nothing without it', async () => {
    const emu = await on('healthy');
    const r = await run(['enable', ...CLUSTER], emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(writes(emu)).toBe(0);
  });

  it('prints every write with --dry-run and makes none', async () => {
    const emu = await on('healthy');
    const r = await run(['enable', ...CLUSTER, '--dry-run', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(
      doc.requests.map(
        (q: { method: string; url: string }) => `${q.method} ${new URL(q.url).pathname.split('/').slice(-2).join('/')}`,
      ),
    ).toEqual([
      'PUT subnets/virtual-node-aci',
      'PUT managedClusters/aks-demo',
      'PUT roleAssignments/%3Cname%20derived%20from%20the%20identity%3E',
    ]);
    expect(doc.requests[2].body.properties).toMatchObject({
      roleDefinitionId: expect.stringMatching(/4d97b98b-1d4f-4787-a291-c67834d212e7$/),
      principalType: 'ServicePrincipal',
    });
    expect(doc.requests[1].headers['if-match']).toBeTruthy();
    expect(doc.requests[1].body.properties.addonProfiles.aciConnectorLinux).toEqual({
      enabled: true,
      config: { SubnetName: 'virtual-node-aci' },
    });
    expect(writes(emu)).toBe(0);
  });

  it('refuses to move the add-on to another subnet before writing anything', async () => {
    const emu = await on('addon-enabled');
    const r = await run(['enable', ...CLUSTER, '--subnet-name', 'other-aci', '--yes'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('already uses subnet virtual-node-aci, not other-aci');
    expect(writes(emu)).toBe(0);
  });

  it('asks before re-sending a subnet a failed run left behind', async () => {
    const emu = await on('healthy', { faults: 'lro-fail:x1:PUT */subnets/*' });
    expect((await run(['enable', ...CLUSTER, '--yes', '--no-wait'], emu.env())).exitCode).toBe(1);
    const before = writes(emu);
    const r = await run(['enable', ...CLUSTER, '--no-wait'], emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(writes(emu)).toBe(before);
  });

  it('starts no new write after Ctrl-C, even mid-operation', async () => {
    const emu = await on('healthy', { lroDelayMs: 1500 });
    const controller = new AbortController();
    const pending = run(['enable', ...CLUSTER, '--yes', '--no-wait'], emu.env(), { signal: controller.signal });
    await until(() => emu.requests.count({ kind: 'write' }) === 1);
    controller.abort();
    const r = await pending;
    expect(r.exitCode).toBe(130);
    expect(emu.requests.count({ kind: 'write' })).toBe(1);
  });

  it('shows a dry run to people as the requests themselves', async () => {
    const emu = await on('healthy');
    const plan = await run(['enable', ...CLUSTER, '--dry-run'], emu.env());
    expect(plan.stdout).toContain('Dry run: vnodes would make 3 write(s), and made none:');
    expect(plan.stdout).toContain('"principalId": "<objectId of the identity AKS creates for the add-on>"');
    expect((await run(['enable', ...CLUSTER, '--yes', '--no-wait'], emu.env())).exitCode).toBe(0);
    emu.requests.clear();
    const r = await run(['disable', ...CLUSTER, '--dry-run'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Dry run: vnodes would make 2 write\(s\), and made none:\n\nPUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/managedClusters\/aks-demo\?api-version=/,
    );
    expect(r.stdout).toMatch(/\nif-match: \S+\n\{\n/);
    expect(r.stdout).toMatch(
      /\nDELETE https:\/\/.*\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}\?api-version=2022-04-01\n/,
    );
    expect(writes(emu)).toBe(0);
  });

  it('re-reads and retries when the cluster changes under it (412), keeping the other change', async () => {
    // The first PUT gets a 503 with Retry-After 1 s; in that second the test tags the cluster, so the SDK's retry
    // carries a stale If-Match and ARM answers 412.
    const emu = await on('healthy', { faults: '503/1:x1:PUT */managedClusters/*' });
    const pending = run(['enable', ...CLUSTER, '--yes', '--no-wait', '-o', 'json'], emu.env());
    await until(() => emu.requests.count({ status: 503 }) === 1);
    const { aks } = sdkClients(emu);
    const current = await aks.managedClusters.get('rg-aks', 'aks-demo');
    await aks.managedClusters.updateTags('rg-aks', 'aks-demo', { tags: { ...current.tags, owner: 'someone-else' } });
    const r = await pending;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json().addon).toMatchObject({ action: 'enabled', conflicts: 1 });
    expect(emu.requests.count({ status: 412 })).toBe(1);
    const after = await aks.managedClusters.get('rg-aks', 'aks-demo');
    expect(after.tags?.owner).toBe('someone-else');
    expect(after.addonProfiles?.aciConnectorLinux?.enabled).toBe(true);
  });

  it('waits out PrincipalNotFound while the new identity replicates', async () => {
    const emu = await on('healthy', { principalPropagationMs: 600 });
    const r = await run(['enable', ...CLUSTER, '--yes', '--no-wait', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json().role.principalRetries).toBeGreaterThanOrEqual(1);
    expect(emu.requests.entries.some((e) => e.status === 400 && /roleAssignments/i.test(e.path))).toBe(true);
  });

  it('reports a failed long-running operation, and a re-run converges', async () => {
    const emu = await on('healthy', { faults: 'lro-fail:x1:PUT */managedClusters/*' });
    const r = await run(['enable', ...CLUSTER, '--yes', '--no-wait'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error: .*aks-demo/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const again = await run(['enable', ...CLUSTER, '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ subnet: { action: 'unchanged' }, addon: { action: 'enabled' } });
  });

  it('survives storms of 429 and 503', async () => {
    const emu = await on('healthy', { faults: '429/0:0.25;503/0:0.15', seed: 7 });
    const r = await run(['enable', ...CLUSTER, '--yes', ...FAST], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(emu.requests.count({ status: 429 }) + emu.requests.count({ status: 503 })).toBeGreaterThan(0);
  });

  it('stops at once when the role grant is refused: the step fails, exit 4, and the az command to run', async () => {
    const emu = await on('healthy', { faults: '403:x1:PUT */roleAssignments/*' });
    const r = await run(['enable', ...CLUSTER, '--yes', ...FAST, '--timeout', '10m'], emu.env());
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/Granting Network Contributor on the subnet to the add-on identity: failed/);
    expect(r.stderr).not.toMatch(/^ok Granting/m);
    expect(r.stderr).toMatch(/^error: Not authorised to grant Network Contributor .*AuthorizationFailed/m);
    expect(r.stderr).toMatch(
      /^fix: .*az role assignment create --assignee-object-id \S+ .*--role "Network Contributor"/m,
    );
    // It did not wait for the node: no Kubernetes credentials were even fetched.
    expect(emu.requests.count({ operation: 'ManagedClusters_ListClusterUserCredentials' })).toBe(0);
    const again = await run(['enable', ...CLUSTER, '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ addon: { action: 'unchanged' }, role: { action: 'created' } });
  });

  it('exits 130 on Ctrl-C during the wait, and a re-run resumes', async () => {
    // The add-on identity is unknown to role assignments for 1.5 s: enable sits in its PrincipalNotFound backoff.
    const emu = await on('healthy', { principalPropagationMs: 1500 });
    const t0 = Date.now();
    const controller = new AbortController();
    const pending = run(['enable', ...CLUSTER, '--yes', ...FAST, '--timeout', '60s'], emu.env(), {
      signal: controller.signal,
    });
    await until(() => emu.requests.count({ status: 400 }) === 1);
    controller.abort();
    const r = await pending;
    expect(r.exitCode).toBe(130);
    await until(() => Date.now() - t0 > 1600, 5000);
    const again = await run(['enable', ...CLUSTER, '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({
      subnet: { action: 'unchanged' },
      addon: { action: 'unchanged' },
      role: { action: 'created' },
      wait: { node: { ready: true } },
    });
  });
});

describe('vnodes disable and status', () => {
  it('disables, shows it off, and enables again', async () => {
    const emu = await on('addon-enabled');
    const before = await run(['status', ...CLUSTER, '-o', 'json'], emu.env());
    expect(before.exitCode, before.stderr).toBe(0);
    expect(before.json()).toMatchObject({
      healthy: true,
      addon: { enabled: true },
      kubernetes: { node: { ready: true }, connector: { running: true } },
    });

    const off = await run(['disable', ...CLUSTER, '--yes', '-o', 'json'], emu.env());
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.json()).toMatchObject({ addon: { action: 'disabled' } });
    const status = await run(['status', ...CLUSTER], emu.env());
    expect(status.stdout).toContain('Virtual nodes are off.');
    await until(async () => {
      const nodes = await (await kubeClient(emu)).listNode();
      return !nodes.items.some((n) => n.metadata?.name === 'virtual-node-aci-linux');
    });

    const on2 = await run(['enable', ...CLUSTER, '--yes', ...FAST, '-o', 'json'], emu.env());
    expect(on2.exitCode, on2.stderr).toBe(0);
    expect(on2.json()).toMatchObject({ addon: { action: 'enabled' }, wait: { node: { ready: true } } });
  });

  it('removes only the role assignment vnodes made, and deletes an unused subnet on request', async () => {
    const emu = await on('healthy');
    expect((await run(['enable', ...CLUSTER, '--yes', '--no-wait'], emu.env())).exitCode).toBe(0);
    const r = await run(['disable', ...CLUSTER, '--yes', '--delete-subnet', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      role: { action: 'removed' },
      subnet: { action: 'deleted', name: 'virtual-node-aci' },
    });
    const { network } = sdkClients(emu);
    await expect(network.subnets.get('rg-network', 'aks-vnet', 'virtual-node-aci')).rejects.toMatchObject({
      statusCode: 404,
    });
    const twice = await run(['disable', ...CLUSTER, '--yes', '-o', 'json'], emu.env());
    expect(twice.json()).toMatchObject({ changed: false, addon: { action: 'unchanged' } });
  });

  it('reads Kubernetes through a kubeconfig context when given one, and rejects an unknown context', async () => {
    const emu = await on('addon-enabled');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'kube-')), 'config');
    writeFileSync(file, (await emu.kube()).kubeconfig({ contextName: 'my-aks' }));
    const r = await run(['status', ...CLUSTER, '--kubeconfig', file, '--context', 'my-aks', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json().kubernetes).toMatchObject({ reachable: true, source: 'kubeconfig', node: { ready: true } });
    expect(emu.requests.count({ kind: 'action' })).toBe(0);
    const bad = await run(['status', ...CLUSTER, '--kubeconfig', file, '--context', 'nope'], emu.env());
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--context "nope" is not in');
    writeFileSync(file, 'apiVersion: v1\nclusters: [ {');
    const broken = await run(['status', ...CLUSTER, '--kubeconfig', file], emu.env());
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain(`Kubeconfig ${file} cannot be read`);
    const lonely = await run(['status', ...CLUSTER, '--context', 'my-aks'], emu.env());
    expect(lonely.exitCode).toBe(2);
    expect(lonely.stderr).toContain('there is no kubeconfig to find it in');
  });

  it('shows why the add-on is unhealthy when its identity has no role', async () => {
    const emu = await on('missing-role');
    await until(async () => {
      const pods = await (
        await kubeClient(emu)
      ).listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app=aci-connector-linux' });
      return (pods.items[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0;
    });
    const r = await run(['status', ...CLUSTER, '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ healthy: false, role: { granted: false }, kubernetes: { node: { present: false } } });
    expect(doc.kubernetes.connector.message).toMatch(/authoriz/i);
  });
});
