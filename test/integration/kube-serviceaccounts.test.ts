// The ServiceAccount admission plugin and controller of the emulated API server, through @kubernetes/client-node and
// kubectl 1.32: a pod gets `default` when it names no account, inherits its account's imagePullSecrets when it has
// none, and is refused 403 when its account does not exist, as kube-apiserver does (see src/emulator/kube/admission.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, failure, pod, useTestKube } from '../helpers/kube-api.js';
import { hasKubectl, kubectlIn } from '../helpers/kubectl.js';

const env = useTestKube();
const NS = 'shop';

describe('ServiceAccount admission through @kubernetes/client-node', () => {
  beforeAll(async () => {
    await env.core.createNamespace({ body: { metadata: { name: NS } } });
    await env.core.createNamespacedServiceAccount({
      namespace: NS,
      body: { metadata: { name: 'puller' }, imagePullSecrets: [{ name: 'acr-a' }, { name: 'acr-b' }] },
    });
  });

  it('gives a new namespace its default ServiceAccount, and a pod that names none uses it', async () => {
    const sa = await env.core.readNamespacedServiceAccount({ namespace: NS, name: 'default' });
    expect(sa.metadata?.uid).toBeTruthy();
    const created = await env.core.createNamespacedPod({ namespace: NS, body: pod('plain') });
    expect(created.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
    expect(created.spec?.imagePullSecrets).toBeUndefined();
  });

  it("copies the ServiceAccount's imagePullSecrets into a pod that has none, and leaves a pod's own alone", async () => {
    const inherited = await env.core.createNamespacedPod({
      namespace: NS,
      body: pod('inherits', { serviceAccountName: 'puller' }),
    });
    expect(inherited.spec?.imagePullSecrets).toEqual([{ name: 'acr-a' }, { name: 'acr-b' }]);
    const own = await env.core.createNamespacedPod({
      namespace: NS,
      body: pod('own', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] }),
    });
    expect(own.spec?.imagePullSecrets).toEqual([{ name: 'mine' }]);
    // The deprecated `serviceAccount` alone names the account too.
    const alias = await env.core.createNamespacedPod({
      namespace: NS,
      body: pod('alias', { serviceAccount: 'puller' }),
    });
    expect(alias.spec).toMatchObject({
      serviceAccountName: 'puller',
      imagePullSecrets: [{ name: 'acr-a' }, { name: 'acr-b' }],
    });
  });

  it('refuses a pod whose ServiceAccount does not exist with 403 Forbidden, even on a dry run', async () => {
    for (const dryRun of [undefined, 'All']) {
      const refused = await failure(
        env.core.createNamespacedPod({ namespace: NS, body: pod('orphan', { serviceAccountName: 'ghost' }), dryRun }),
      );
      expect(refused.code).toBe(403);
      expect(refused.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        message: `pods "orphan" is forbidden: error looking up service account ${NS}/ghost: serviceaccount "ghost" not found`,
        details: { name: 'orphan', kind: 'pods' },
      });
    }
    expect((await env.core.listNamespacedPod({ namespace: NS })).items.map((p) => p.metadata?.name)).not.toContain(
      'orphan',
    );
  });

  it('re-creates a deleted default ServiceAccount, as the ServiceAccount controller does', async () => {
    const before = await env.core.readNamespacedServiceAccount({ namespace: NS, name: 'default' });
    await env.core.deleteNamespacedServiceAccount({ namespace: NS, name: 'default' });
    const after = await eventually(
      () => env.core.readNamespacedServiceAccount({ namespace: NS, name: 'default' }).catch(() => undefined),
      (sa) => sa !== undefined,
    );
    expect(after!.metadata?.uid).not.toBe(before.metadata?.uid);
    // Other accounts stay deleted.
    await env.core.deleteNamespacedServiceAccount({ namespace: NS, name: 'puller' });
    await new Promise((r) => setTimeout(r, 50));
    expect((await failure(env.core.readNamespacedServiceAccount({ namespace: NS, name: 'puller' }))).code).toBe(404);
  });

  it('gives the pods a controller creates the same treatment (Deployment → ReplicaSet → Pod)', async () => {
    await env.core.createNamespacedServiceAccount({
      namespace: NS,
      body: { metadata: { name: 'deployer' }, imagePullSecrets: [{ name: 'acr-c' }] },
    });
    await env.apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'cart' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'cart' } },
          template: {
            metadata: { labels: { app: 'cart' } },
            spec: { serviceAccountName: 'deployer', containers: [{ name: 'app', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    const pods = await eventually(
      () => env.core.listNamespacedPod({ namespace: NS, labelSelector: 'app=cart' }),
      (l) => l.items.length === 1,
    );
    expect(pods.items[0]!.spec?.imagePullSecrets).toEqual([{ name: 'acr-c' }]);
  });
});

describe.skipIf(!hasKubectl)('ServiceAccount admission through kubectl 1.32', () => {
  let dir: string;
  const kubectl = kubectlIn(() => dir);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vnodes-kubectl-sa-'));
    await writeFile(join(dir, 'config'), env.api.kubeconfig(), { mode: 0o600 });
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('kubectl run names the missing account in its error and exits 1; with the account it runs', async () => {
    const refused = await kubectl(
      'run',
      'nope',
      '--image=nginx:1.27',
      '--overrides={"spec":{"serviceAccountName":"ghost"}}',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Error from server (Forbidden): pods "nope" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
    );
    const ok = await kubectl('run', 'yes', '--image=nginx:1.27');
    expect(ok.code).toBe(0);
    const got = await kubectl('get', 'pod', 'yes', '-o', 'jsonpath={.spec.serviceAccountName}');
    expect(got.stdout).toBe('default');
    const sa = await kubectl('get', 'serviceaccounts', '-n', 'kube-system', 'default', '-o', 'name');
    expect(sa.stdout.trim()).toBe('serviceaccount/default');
  });
});
