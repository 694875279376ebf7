// What keeps a long `emulator start` bounded and its operation URLs honest: request logs that keep a window but count
// exactly, finished operations forgotten after a while, and operation ids found only under the subscription and
// namespace that started them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, NETWORK_API, armGet, armRequest } from '../helpers/arm.js';

const ACI_API = '2023-05-01';

/** Starts an ACI container group create (a long-running PUT) and returns its operation URLs' paths. */
async function startOperation(emu: Emulator, name: string): Promise<{ status: string; result: string }> {
  const id = `/subscriptions/${emu.subscriptionId}/resourceGroups/rg-aks/providers/Microsoft.ContainerInstance/containerGroups/${name}`;
  const started = await armRequest(emu, 'PUT', id, ACI_API, {
    location: 'eastus',
    properties: {
      osType: 'Linux',
      containers: [{ name: 'app', properties: { image: 'nginx', resources: { requests: { cpu: 1, memoryInGB: 1 } } } }],
    },
  });
  expect(started.status).toBe(201);
  const path = (header: unknown): string => new URL(String(header)).pathname;
  return { status: path(started.headers['azure-asyncoperation']), result: path(started.headers.location) };
}

describe('emulator: bounded request logs', () => {
  it('keeps the last requestLogLimit ARM entries while count() stays exact', async () => {
    const emu = await startEmulator({ requestLogLimit: 3 });
    onTestFinished(() => emu.close());
    for (let i = 0; i < 5; i++)
      await armGet(emu, `/subscriptions/${emu.subscriptionId}/providers/Microsoft.Network`, '2021-04-01');
    await armGet(emu, `/subscriptions/${emu.subscriptionId}/providers/Microsoft.Nope`, '2021-04-01');
    expect(emu.requests.entries).toHaveLength(3);
    expect(emu.requests.entries.at(-1)).toMatchObject({ operation: 'Providers_Get', status: 400 });
    expect(emu.requests.count()).toBe(6);
    expect(emu.requests.count({ operation: 'providers_get', method: 'get', status: 200, kind: 'read' })).toBe(5);
    expect(emu.requests.count({ status: 400 })).toBe(1);
    emu.requests.clear();
    expect([emu.requests.entries.length, emu.requests.count()]).toEqual([0, 0]);
  });

  it("keeps the last requestLogLimit entries of a cluster's Kubernetes API server too", async () => {
    const emu = await startEmulator({ requestLogLimit: 2 });
    onTestFinished(() => emu.close());
    const api = await emu.kube();
    const token = /token: (\S+)/.exec(api.kubeconfig())![1]!;
    for (const path of ['/api', '/apis', '/version', '/api/v1/namespaces']) {
      await new Promise<void>((resolve, reject) => {
        const req = request(
          `${api.url}${path}`,
          { ca: emu.caPem, headers: { Authorization: `Bearer ${token}` } },
          (res) => res.resume().on('end', resolve),
        );
        req.on('error', reject).end();
      });
    }
    expect(api.requests.map((r) => r.path)).toEqual(['/version', '/api/v1/namespaces']);
  });
});

describe('emulator: long-running operations', () => {
  it('forgets a finished operation lroRetentionMs after it ended: 404 OperationNotFound', async () => {
    const emu = await startEmulator({ lroDelayMs: 10, lroRetentionMs: 50 });
    onTestFinished(() => emu.close());
    const op = await startOperation(emu, 'cg-retained');
    expect((await armGet(emu, op.status, ACI_API)).body).toMatchObject({ status: 'Succeeded' });
    expect((await armGet(emu, op.result, ACI_API)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 80));
    const gone = await armGet(emu, op.status, ACI_API);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'OperationNotFound']);
  });

  it('finds an operation only under the namespace and subscription that started it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vnodes-emulator-bounds-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'two-subscriptions.yaml');
    // The example VNet lives in subscription 'subid', which makes that a second known subscription.
    await writeFile(file, 'extends: healthy\nresources:\n  - fromExample: Microsoft.Network/VirtualNetworkGet.json\n');
    const emu = await startEmulator({ scenario: file, lroDelayMs: 10 });
    onTestFinished(() => emu.close());
    const op = await startOperation(emu, 'cg-scoped');
    const elsewhere: [string, string][] = [
      [op.status.replace('Microsoft.ContainerInstance', 'Microsoft.Network'), NETWORK_API],
      [op.result.replace('Microsoft.ContainerInstance', 'Microsoft.ContainerService'), AKS_API],
      [op.status.replace(emu.subscriptionId, 'subid'), ACI_API],
    ];
    for (const [path, apiVersion] of elsewhere) {
      const reply = await armGet(emu, path, apiVersion);
      expect([reply.status, reply.body.error.code, reply.body.error.message]).toEqual([
        404,
        'OperationNotFound',
        expect.stringContaining(path.split('/').at(-1)!),
      ]);
    }
    expect(
      (await armGet(emu, op.status.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'), ACI_API)).status,
    ).toBe(200);
  });

  it('holds a poll of a running operation at most holdPollsMs', async () => {
    const emu = await startEmulator({ lroDelayMs: 5000, holdPollsMs: 0 });
    onTestFinished(() => emu.close());
    const op = await startOperation(emu, 'cg-unheld');
    const started = performance.now();
    const polled = await armGet(emu, op.status, ACI_API);
    expect(polled.body.status).toBe('InProgress');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
