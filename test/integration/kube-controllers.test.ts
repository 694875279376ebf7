// The workload controllers of the emulated Kubernetes API: what `kubectl apply` and a client create gets pods, as
// in a real cluster, with owner references and garbage collection.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, failure, start, type TestKube } from '../helpers/kube-api.js';
import { hasKubectl, kubectlIn } from '../helpers/kubectl.js';

const DEPLOYMENT = (replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
`;

let k: TestKube;
let dir: string;
let batch: BatchV1Api;

const kubectl = kubectlIn(() => dir);

const podsOf = async (selector: string, namespace = 'default') =>
  (await k.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
    (p) => p.metadata?.deletionTimestamp === undefined,
  );

/** Acts as the kubelet: sets a pod's phase (the emulator runs no containers on ordinary nodes). */
const setPhase = async (pod: V1Pod, phase: string) =>
  k.core.replaceNamespacedPodStatus({
    name: pod.metadata!.name!,
    namespace: pod.metadata!.namespace!,
    body: { ...pod, status: { ...pod.status, phase } },
  });

beforeAll(async () => {
  k = await start();
  batch = k.kc.makeApiClient(BatchV1Api);
  dir = await mkdtemp(join(tmpdir(), 'vnodes-controllers-'));
  await writeFile(join(dir, 'config'), k.api.kubeconfig(), { mode: 0o600 });
});
afterAll(async () => {
  await k?.api.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('kubectl apply of a Deployment', () => {
  it('makes a ReplicaSet and its pods, scales them up and down, rolls a new template, and collects them on delete', async () => {
    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT(2));
    expect((await kubectl('apply', '-f', join(dir, 'deploy.yaml'))).code).toBe(0);
    const two = await eventually(
      () => podsOf('app=web'),
      (p) => p.length === 2,
    );
    expect(two).toHaveLength(2);
    const rs = (await k.apps.listNamespacedReplicaSet({ namespace: 'default' })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata!.name).toMatch(/^web-[a-z0-9]{10}$/);
    expect(rs[0]!.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    for (const p of two) {
      expect(p.metadata!.ownerReferences![0]).toMatchObject({ kind: 'ReplicaSet', name: rs[0]!.metadata!.name });
      expect(p.metadata!.labels!['pod-template-hash']).toBe(rs[0]!.metadata!.labels!['pod-template-hash']);
    }
    const events = (await k.core.listNamespacedEvent({ namespace: 'default' })).items;
    const about = (kind: string) =>
      events.filter((e) => e.involvedObject.kind === kind).map((e) => `${e.reason}: ${e.message}`);
    expect(about('Deployment')).toContain(
      `ScalingReplicaSet: Scaled up replica set ${rs[0]!.metadata!.name} from 0 to 2`,
    );
    expect(about('ReplicaSet').filter((m) => m.startsWith('SuccessfulCreate: Created pod: web-'))).toHaveLength(2);
    // The scheduler binds them to the agent node (they do not tolerate the virtual node's taint).
    await eventually(
      () => podsOf('app=web'),
      (p) => p.every((x) => x.spec?.nodeName !== undefined),
    );
    expect((await podsOf('app=web')).map((p) => p.spec!.nodeName)).toEqual(
      Array(2).fill('aks-nodepool1-12345678-vmss000000'),
    );

    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT(4));
    await kubectl('apply', '-f', join(dir, 'deploy.yaml'));
    expect(
      await eventually(
        () => podsOf('app=web'),
        (p) => p.length === 4,
      ),
    ).toHaveLength(4);
    expect((await kubectl('scale', 'deployment', 'web', '--replicas=3')).stdout).toBe('deployment.apps/web scaled\n');
    expect(
      await eventually(
        () => podsOf('app=web'),
        (p) => p.length === 3,
      ),
    ).toHaveLength(3);
    const scale = JSON.parse(
      (await kubectl('get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale')).stdout,
    );
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 } });
    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT(1));
    await kubectl('apply', '-f', join(dir, 'deploy.yaml'));
    expect(
      await eventually(
        () => podsOf('app=web'),
        (p) => p.length === 1,
      ),
    ).toHaveLength(1);
    const status = await eventually(
      () => k.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }),
      (d) => d.status?.replicas === 1,
    );
    expect(status.status).toMatchObject({ replicas: 1, updatedReplicas: 1, observedGeneration: 4 });
    const get = await kubectl('get', 'deploy', 'web', '--no-headers');
    expect(get.stdout).toMatch(/^web\s+0\/1\s+1\s+0\s/);

    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT(1, 'nginx:1.28'));
    await kubectl('apply', '-f', join(dir, 'deploy.yaml'));
    const sets = await eventually(
      async () => (await k.apps.listNamespacedReplicaSet({ namespace: 'default' })).items,
      (r) => r.length === 2 && r.some((x) => x.spec?.replicas === 0),
    );
    expect(sets.map((r) => r.spec!.replicas).sort()).toEqual([0, 1]);
    const pods = await eventually(
      () => podsOf('app=web'),
      (p) => p.length === 1 && p[0]!.spec!.containers[0]!.image === 'nginx:1.28',
    );
    expect(pods[0]!.spec!.containers[0]!.image).toBe('nginx:1.28');

    expect((await kubectl('delete', 'deployment', 'web')).code).toBe(0);
    await eventually(
      () => podsOf('app=web'),
      (p) => p.length === 0,
    );
    expect(await podsOf('app=web')).toHaveLength(0);
    expect((await k.apps.listNamespacedReplicaSet({ namespace: 'default' })).items).toHaveLength(0);
  });
});

describe.skipIf(!hasKubectl)('kubectl delete --cascade=orphan', () => {
  it('leaves the ReplicaSet and its pods, without the owner reference', async () => {
    await writeFile(join(dir, 'orphan.yaml'), DEPLOYMENT(1).replaceAll('web', 'keep'));
    await kubectl('apply', '-f', join(dir, 'orphan.yaml'));
    await eventually(
      () => podsOf('app=keep'),
      (p) => p.length === 1,
    );
    expect((await kubectl('delete', 'deployment', 'keep', '--cascade=orphan')).code).toBe(0);
    const rs = (await k.apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=keep' })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata!.ownerReferences).toBeUndefined();
    expect(await podsOf('app=keep')).toHaveLength(1);
    await k.apps.deleteNamespacedReplicaSet({ name: rs[0]!.metadata!.name!, namespace: 'default' });
    await eventually(
      () => podsOf('app=keep'),
      (p) => p.length === 0,
    );
    expect(await podsOf('app=keep')).toHaveLength(0);
  });
});

describe('workload controllers', () => {
  it('runs a Job to completion, and fails one past its backoffLimit', async () => {
    const job = (name: string, extra: Record<string, unknown>) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: { ...extra, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'x', image: 'busybox' }] } } },
    });
    const created = await batch.createNamespacedJob({ namespace: 'default', body: job('two', { completions: 2 }) });
    expect(created.spec!.selector!.matchLabels!['batch.kubernetes.io/controller-uid']).toBe(created.metadata!.uid);
    for (let i = 0; i < 2; i++) {
      const [pod] = await eventually(
        () => podsOf('job-name=two'),
        (p) => p.some((x) => x.status?.phase === 'Pending'),
      );
      await setPhase((await podsOf('job-name=two')).find((x) => x.status?.phase === 'Pending') ?? pod!, 'Succeeded');
    }
    const done = await eventually(
      () => batch.readNamespacedJob({ name: 'two', namespace: 'default' }),
      (j) => (j.status?.conditions ?? []).some((c) => c.type === 'Complete'),
    );
    expect(done.status).toMatchObject({ succeeded: 2, active: 0 });
    expect((await podsOf('job-name=two')).length).toBe(2);

    await batch.createNamespacedJob({ namespace: 'default', body: job('flaky', { backoffLimit: 1 }) });
    for (let i = 0; i < 2; i++) {
      const pods = await eventually(
        () => podsOf('job-name=flaky'),
        (p) => p.some((x) => x.status?.phase === 'Pending'),
      );
      await setPhase(
        pods.find((x) => x.status?.phase === 'Pending')!,
        'Failed',
      );
    }
    const failed = await eventually(
      () => batch.readNamespacedJob({ name: 'flaky', namespace: 'default' }),
      (j) => (j.status?.conditions ?? []).some((c) => c.type === 'Failed'),
    );
    expect(failed.status!.conditions!.find((c) => c.type === 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
    });
    expect(failed.status).toMatchObject({ failed: 2, active: 0 });

    const bad = await failure(
      batch.createNamespacedJob({
        namespace: 'default',
        body: { ...job('bad', {}), spec: { template: { spec: { containers: [{ name: 'x', image: 'y' }] } } } },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details.causes[0].field).toBe('spec.template.spec.restartPolicy');

    if (hasKubectl) {
      const jobs = await kubectl('get', 'jobs', '--no-headers');
      expect(jobs.stdout).toMatch(/^flaky\s+Failed\s+0\/1\s/m);
      expect(jobs.stdout).toMatch(/^two\s+Complete\s+2\/2\s/m);
    }
    await batch.deleteNamespacedJob({ name: 'two', namespace: 'default' });
    await eventually(
      () => podsOf('job-name=two'),
      (p) => p.length === 0,
    );
    expect(await podsOf('job-name=two')).toHaveLength(0);
  });

  it('puts a DaemonSet pod on every node it tolerates: the virtual node too when it tolerates everything', async () => {
    const ds = (name: string, tolerations: unknown[]) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { tolerations, containers: [{ name: 'a', image: 'agent:1' }] },
        },
      },
    });
    await k.apps.createNamespacedDaemonSet({
      namespace: 'kube-system',
      body: ds('everywhere', [{ operator: 'Exists' }]) as never,
    });
    await k.apps.createNamespacedDaemonSet({ namespace: 'kube-system', body: ds('agents-only', []) as never });
    const nodesOf = async (app: string) =>
      (
        await eventually(
          () => podsOf(`app=${app}`, 'kube-system'),
          (p) => p.length > 0 && p.every((x) => x.spec?.nodeName !== undefined),
        )
      )
        .map((p) => p.spec!.nodeName)
        .sort();
    expect(await nodesOf('everywhere')).toEqual(['aks-nodepool1-12345678-vmss000000', 'virtual-node-aci-linux']);
    expect(await nodesOf('agents-only')).toEqual(['aks-nodepool1-12345678-vmss000000']);
    const status = await eventually(
      () => k.apps.readNamespacedDaemonSet({ name: 'everywhere', namespace: 'kube-system' }),
      (d) => d.status?.currentNumberScheduled === 2,
    );
    expect(status.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2 });
    if (hasKubectl) {
      const ds = await kubectl('get', 'ds', 'everywhere', '-n', 'kube-system', '--no-headers');
      expect(ds.stdout).toMatch(/^everywhere\s+2\s+2\s+0\s+2\s+0\s/);
    }
  });

  it('names StatefulSet pods by ordinal', async () => {
    await k.apps.createNamespacedStatefulSet({
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          replicas: 3,
          podManagementPolicy: 'Parallel',
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
        },
      },
    });
    const pods = await eventually(
      () => podsOf('app=db'),
      (p) => p.length === 3,
    );
    expect(pods.map((p) => p.metadata!.name).sort()).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('refuses a workload whose selector does not match its template', async () => {
    const bad = await failure(
      k.apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: 'mismatch' },
          spec: {
            selector: { matchLabels: { app: 'a' } },
            template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
          },
        },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details.causes[0].field).toBe('spec.template.metadata.labels');
  });
});
