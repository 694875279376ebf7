// Pods through the emulated add-on (vnodes provider in-process) to ACI's lifecycle and back: phases, exit codes,
// waiting reasons, restarts, events and logs, with pods created by the client and by kubectl apply.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { Emulator } from '../../src/emulator/index.js';
import { kubeClient, startEmulated, until } from '../helpers/emulated.js';
import { run } from '../helpers/run-cli.js';

const KUBECTL = '/usr/bin/kubectl';
let emu: Emulator;
let core: CoreV1Api;
let dir: string;
beforeAll(async () => {
  emu = await startEmulated({ scenario: 'addon-enabled' });
  core = await kubeClient(emu);
  dir = await mkdtemp(join(tmpdir(), 'vnodes-lifecycle-'));
  await writeFile(join(dir, 'config'), (await emu.kube()).kubeconfig());
  await until(
    async () => (await core.listNode()).items.some((n) => n.metadata?.name === 'virtual-node-aci-linux'),
    10_000,
  );
});
afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

const onVirtualNode = (name: string, image: string, restartPolicy = 'Never'): V1Pod => ({
  metadata: { name, namespace: 'default' },
  spec: {
    restartPolicy,
    nodeSelector: { type: 'virtual-kubelet' },
    tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }],
    containers: [
      {
        name: 'main',
        image,
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
});
const read = (name: string) => core.readNamespacedPod({ namespace: 'default', name });
const settled = (name: string, ok: (p: V1Pod) => boolean) =>
  until(async () => ok(await read(name)), 15_000, 50).then(() => read(name));

describe('pods on the emulated virtual node', () => {
  it.each([
    [
      'runs',
      'nginx',
      'Always',
      'Running',
      (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.running !== undefined,
    ],
    [
      'exit 0',
      'emulator/exit:0',
      'Never',
      'Succeeded',
      (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.terminated?.reason === 'Completed',
    ],
    [
      'exit 3',
      'emulator/exit:3',
      'Never',
      'Failed',
      (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 3,
    ],
    [
      'OOM',
      'emulator/oom',
      'Never',
      'Failed',
      (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.terminated?.reason === 'OOMKilled',
    ],
  ])('%s: %s (restartPolicy %s) reaches %s with the real exit code', async (name, image, restart, phase, check) => {
    const pod = `lc-${name.replace(/\s+/g, '')}`.toLowerCase();
    await core.createNamespacedPod({ namespace: 'default', body: onVirtualNode(pod, image, restart) });
    const p = await settled(pod, (x) => x.status?.phase === phase);
    expect(check(p)).toBe(true);
    if (phase === 'Failed') expect(p.status?.containerStatuses?.[0]?.state?.terminated?.reason).not.toBe('Completed');
    if (phase === 'Running') {
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(p.status?.podIP).toMatch(/^10\.241\./);
      expect(p.status?.hostIP).toBe('10.240.0.35');
    }
  });

  it('an image that cannot be pulled shows as a waiting reason, with the ACI events as Kubernetes events', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: onVirtualNode('pull', 'emulator/pull-backoff', 'Always'),
    });
    const p = await settled('pull', (x) =>
      /ImagePull/.test(x.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''),
    );
    expect(p.status?.phase).toBe('Pending');
    await until(
      async () =>
        (
          await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=pull' })
        ).items.some((e) => e.reason === 'Failed'),
      10_000,
    );
    const events = (await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=pull' }))
      .items;
    const failed = events.filter((e) => e.reason === 'Failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.involvedObject.fieldPath).toBe('spec.containers{main}');
  });

  it('a crash loop counts restarts and keeps the last exit code', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: onVirtualNode('crash', 'emulator/crashloop:2', 'Always'),
    });
    const p = await settled('crash', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
  });

  it.skipIf(!existsSync(KUBECTL))('a pod applied with kubectl runs; provider logs reads it through ARM', async () => {
    const manifest = join(dir, 'pod.yaml');
    await writeFile(
      manifest,
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...onVirtualNode('applied', 'nginx', 'Always') }),
    );
    const applied = await new Promise<string>((resolve) =>
      execFile(
        KUBECTL,
        ['--kubeconfig', join(dir, 'config'), 'apply', '-f', manifest],
        { env: { HOME: dir, PATH: process.env.PATH } },
        (err, _out, stderr) => resolve(err ? `exit ${String(err.code)}: ${stderr}` : 'ok'),
      ),
    );
    expect(applied).toBe('ok');
    await settled('applied', (x) => x.status?.phase === 'Running');
    await new Promise((r) => setTimeout(r, 1100));
    const logs = await run(['provider', 'logs', 'default/applied', '--cluster', 'aks-demo', '-g', 'rg-aks'], emu.env());
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('main: starting nginx');
    expect(logs.stdout).not.toMatch(/^\d{4}-/m);
    const stamped = await run(
      [
        'provider',
        'logs',
        'applied',
        '--timestamps',
        '--tail',
        '1',
        '--aci-resource-group',
        'MC_rg-aks_aks-demo_eastus',
        '-o',
        'json',
      ],
      emu.env(),
    );
    expect(stamped.exitCode, stamped.stderr).toBe(0);
    const lines = stamped.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ pod: 'default/applied', container: 'main', time: expect.any(String) });
  });

  it('deleting a pod deletes its container group, then the pod', async () => {
    await core.deleteNamespacedPod({ namespace: 'default', name: 'lc-runs' });
    await until(
      async () =>
        !(await core.listNamespacedPod({ namespace: 'default' })).items.some((p) => p.metadata?.name === 'lc-runs'),
      10_000,
    );
    const logs = await run(
      ['provider', 'logs', 'lc-runs', '--aci-resource-group', 'MC_rg-aks_aks-demo_eastus'],
      emu.env(),
    );
    expect(logs.exitCode).toBe(1);
    expect(logs.stderr).toContain('No container group for pod default/lc-runs');
  });
});
