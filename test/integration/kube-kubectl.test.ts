// The emulated Kubernetes API server driven by the real kubectl, through a kubeconfig file, as a user would.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApi } from '../../src/emulator/kube/index.js';
import { start } from '../helpers/kube-api.js';
import { hasKubectl, KUBECTL, kubectlIn } from '../helpers/kubectl.js';

if (!hasKubectl) console.warn(`kube-kubectl tests skipped: ${KUBECTL} is not installed`);

const POD_YAML = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  nodeSelector: {type: virtual-kubelet}
  tolerations:
  - {key: virtual-kubelet.io/provider, operator: Exists}
  containers:
  - name: web
    image: ${image}
    env: [{name: A, value: "1"}]
`;

let api: KubeApi;
let dir: string;

const kubectl = kubectlIn(() => dir);

/** Lines of a table, columns split on runs of spaces. */
const rows = (text: string): string[][] =>
  text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));

describe.skipIf(!hasKubectl)('kubectl against the emulated API server', () => {
  beforeAll(async () => {
    ({ api } = await start());
    dir = await mkdtemp(join(tmpdir(), 'vnodes-kubectl-'));
    await writeFile(join(dir, 'config'), api.kubeconfig(), { mode: 0o600 });
    await writeFile(join(dir, 'pod.yaml'), POD_YAML('nginx:1.27'));
  });
  afterAll(async () => {
    await api?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('get nodes prints kubectl columns', async () => {
    const r = await kubectl('get', 'nodes');
    expect(r.code).toBe(0);
    const [header, ...nodes] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(nodes.map((n) => n.slice(0, 3))).toEqual([
      ['aks-nodepool1-12345678-vmss000000', 'Ready', 'agent'],
      ['virtual-node-aci-linux', 'Ready', 'agent'],
    ]);
  });

  it('apply creates, then finds nothing to change, then configures an edit', async () => {
    const file = join(dir, 'pod.yaml');
    expect((await kubectl('apply', '-f', file)).stdout.trim()).toBe('pod/web created');
    expect((await kubectl('apply', '-f', file)).stdout.trim()).toBe('pod/web unchanged');
    await writeFile(file, POD_YAML('nginx:1.28'));
    const edited = await kubectl('apply', '-f', file);
    expect(edited.stderr).toBe('');
    expect(edited.stdout.trim()).toBe('pod/web configured');
  });

  it('get pods -A and get pod -o json show the pod bound to the virtual node', async () => {
    const all = await kubectl('get', 'pods', '-A');
    expect(rows(all.stdout)[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows(all.stdout)[1]?.slice(0, 4)).toEqual(['default', 'web', '0/1', 'Pending']);
    const json = JSON.parse((await kubectl('get', 'pod', 'web', '-o', 'json')).stdout);
    expect(json.spec.nodeName).toBe('virtual-node-aci-linux');
    expect(json.spec.containers[0].image).toBe('nginx:1.28');
    expect(json.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.28');
  });

  it('logs prints what the pod wrote; describe shows its scheduling event', async () => {
    api.store.logs.append('default', 'web', 'web', 'listening on :80\n');
    expect((await kubectl('logs', 'web')).stdout).toBe('listening on :80\n');
    const described = await kubectl('describe', 'pod', 'web');
    expect(described.stdout).toMatch(/Node:\s+virtual-node-aci-linux/);
    expect(described.stdout).toMatch(
      /Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/web to virtual-node-aci-linux/,
    );
  });

  it('get pods -w prints the list, then a line per change', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', join(dir, 'config'), 'get', 'pods', '-w'], {
      env: { HOME: dir, PATH: process.env.PATH },
    });
    let out = '';
    const lines = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => void (out.trim().split('\n').length >= n && resolve());
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        child.on('exit', () => reject(new Error(`kubectl exited early: ${out}`)));
        check();
      });
    try {
      await lines(2);
      await kubectl('label', 'pod', 'web', 'watched=yes');
      await lines(3);
    } finally {
      child.kill();
    }
    const [header, listed, changed] = rows(out);
    expect(header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(listed?.[0]).toBe('web');
    expect(changed?.slice(0, 3)).toEqual(['web', '0/1', 'Pending']);
  });

  it('delete waits for the provider to finalise a virtual-node pod, and removes other pods at once', async () => {
    // What the virtual kubelet does on a graceful delete: stop the workload, then delete with grace 0.
    const stop = api.store.on('Pod', 'updated', (p) => {
      if (p.metadata.deletionTimestamp !== undefined)
        api.store.delete('pods', p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 });
    });
    try {
      expect((await kubectl('delete', 'pod', 'web')).stdout.trim()).toBe('pod "web" deleted');
    } finally {
      stop();
    }
    expect((await kubectl('run', 'plain', '--image=busybox')).code).toBe(0);
    expect((await kubectl('delete', 'pod', 'plain')).stdout.trim()).toBe('pod "plain" deleted');
    const none = await kubectl('get', 'pods');
    expect(none.stderr.trim()).toBe('No resources found in default namespace.');
    const missing = await kubectl('get', 'pod', 'web');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('pods "web" not found');
  });
});
