// The emulated Kubernetes API server through the real @kubernetes/client-node over HTTPS: objects, verbs, errors.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { TOKEN, eventually, failure, pod, rawGet, rawRequest, useTestKube } from '../helpers/kube-api.js';

const env = useTestKube();

describe('core objects', () => {
  it('creates, reads, lists, replaces and deletes a pod with Kubernetes metadata', async () => {
    const { core } = env;
    const created = await core.createNamespacedPod({ namespace: 'default', body: pod('crud') });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.metadata?.generation).toBe(1);
    expect(created.status?.phase).toBe('Pending');
    const read = await core.readNamespacedPod({ namespace: 'default', name: 'crud' });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    const replaced = await core.replaceNamespacedPod({
      namespace: 'default',
      name: 'crud',
      body: { ...read, metadata: { ...read.metadata, labels: { replaced: 'yes' } } },
    });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    const names = (await core.listNamespacedPod({ namespace: 'default' })).items.map((p) => p.metadata?.name);
    expect(names).toContain('crud');
    await core.deleteNamespacedPod({ namespace: 'default', name: 'crud' });
    expect((await failure(core.readNamespacedPod({ namespace: 'default', name: 'crud' }))).body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
  });

  it('names objects from generateName and refuses duplicates with 409 AlreadyExists', async () => {
    const { core } = env;
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { generateName: 'gen-' }, data: { a: 'b' } },
    });
    expect(cm.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const again = await failure(
      core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: cm.metadata!.name! } } }),
    );
    expect(again.code).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
  });

  it('answers 409 Conflict to an update carrying a stale resourceVersion', async () => {
    const { core } = env;
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'stale' }, data: { v: '1' } },
    });
    await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'stale', body: { ...cm, data: { v: '2' } } });
    const stale = await failure(
      core.replaceNamespacedConfigMap({ namespace: 'default', name: 'stale', body: { ...cm, data: { v: '3' } } }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict', status: 'Failure' });
    expect(stale.body.message).toContain('the object has been modified');
  });

  it('rejects an invalid pod with 422 Invalid and names the field', async () => {
    const bad = await failure(
      env.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'bad' }, spec: { containers: [] } },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details.causes[0].field).toBe('spec.containers');
  });

  it('patches with merge, strategic merge and JSON patch', async () => {
    const { core } = env;
    await core.createNamespacedPod({ namespace: 'default', body: pod('patched', {}, { keep: 'me' }) });
    const opts = (type: string) => setHeaderOptions('Content-Type', type);
    const merged = await core.patchNamespacedPod(
      { namespace: 'default', name: 'patched', body: { metadata: { labels: { added: 'yes', keep: null } } } },
      opts(PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ added: 'yes' });
    const strategic = await core.patchNamespacedPod(
      {
        namespace: 'default',
        name: 'patched',
        body: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } },
      },
      opts(PatchStrategy.StrategicMergePatch),
    );
    // Merged by name: the container keeps its image and gains B next to A.
    expect(strategic.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(strategic.spec?.containers[0]?.env?.map((e) => e.name)).toEqual(['A', 'B']);
    const json = await core.patchNamespacedPod({
      namespace: 'default',
      name: 'patched',
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.28' }],
    });
    expect(json.spec?.containers[0]?.image).toBe('nginx:1.28');
    const failedTest = await failure(
      core.patchNamespacedPod({
        namespace: 'default',
        name: 'patched',
        body: [{ op: 'test', path: '/metadata/name', value: 'other' }],
      }),
    );
    expect(failedTest.code).toBe(422);
  });

  it('filters lists with label selectors and field selectors', async () => {
    const { core } = env;
    await core.createNamespace({ body: { metadata: { name: 'selectors' } } });
    for (const [name, labels] of [
      ['s1', { app: 'web', tier: 'front' }],
      ['s2', { app: 'web', tier: 'back' }],
      ['s3', { app: 'db' }],
    ] as const) {
      await core.createNamespacedPod({ namespace: 'selectors', body: pod(name, {}, labels) });
    }
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedPod({ namespace: 'selectors', labelSelector, fieldSelector })).items.map(
        (p) => p.metadata?.name,
      );
    expect(await names('app=web')).toEqual(['s1', 's2']);
    expect(await names('app==web,tier!=front')).toEqual(['s2']);
    expect(await names('tier in (front, back)')).toEqual(['s1', 's2']);
    expect(await names('app notin (web)')).toEqual(['s3']);
    expect(await names('tier')).toEqual(['s1', 's2']);
    expect(await names('!tier')).toEqual(['s3']);
    expect(await names(undefined, 'metadata.name=s2')).toEqual(['s2']);
    expect(await names(undefined, 'status.phase=Pending,metadata.name!=s1')).toEqual(['s2', 's3']);
    const badField = await failure(core.listNamespacedPod({ namespace: 'selectors', fieldSelector: 'spec.bogus=x' }));
    expect(badField.code).toBe(400);
  });

  it('pages lists with limit and continue in a stable order', async () => {
    const { core } = env;
    await core.createNamespace({ body: { metadata: { name: 'paging' } } });
    for (const i of [3, 1, 5, 2, 4])
      await core.createNamespacedConfigMap({ namespace: 'paging', body: { metadata: { name: `cm-${i}` } } });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: 'paging', limit: 2, _continue: token });
      seen.push(...page.items.map((c) => c.metadata!.name!));
      token = page.metadata?._continue || undefined;
      if (token !== undefined) expect(page.metadata?.remainingItemCount).toBe(5 - seen.length);
      pages++;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5']);
  });

  it('serves apps/v1 deployments and coordination.k8s.io/v1 leases', async () => {
    const { apps, coordination } = env;
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
        },
      },
    });
    expect((await apps.listDeploymentForAllNamespaces()).items.map((d) => d.metadata?.name)).toContain('web');
    const lease = await coordination.createNamespacedLease({
      namespace: 'kube-node-lease',
      body: {
        metadata: { name: 'virtual-node-aci-linux' },
        spec: { holderIdentity: 'virtual-node-aci-linux', leaseDurationSeconds: 40 },
      },
    });
    const renewed = await coordination.replaceNamespacedLease({
      namespace: 'kube-node-lease',
      name: 'virtual-node-aci-linux',
      body: { ...lease, spec: { ...lease.spec, renewTime: new Date() } },
    });
    expect(renewed.spec?.holderIdentity).toBe('virtual-node-aci-linux');
    expect(String(renewed.spec?.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('has the system namespaces and cluster-scoped nodes', async () => {
    const namespaces = (await env.core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-node-lease', 'kube-public']));
    const node = await env.core.readNode({ name: 'virtual-node-aci-linux' });
    expect(node.metadata?.namespace).toBeUndefined();
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('serves a pod log from the buffer whoever runs the pod appends to', async () => {
    const { core, api } = env;
    await core.createNamespacedPod({ namespace: 'default', body: pod('logger') });
    await eventually(
      () => core.readNamespacedPod({ namespace: 'default', name: 'logger' }),
      (p) => p.spec?.nodeName !== undefined,
    );
    api.store.logs.append('default', 'logger', 'app', 'line 1\nline 2\nline 3\n');
    expect(await core.readNamespacedPodLog({ namespace: 'default', name: 'logger' })).toBe('line 1\nline 2\nline 3\n');
    expect(await core.readNamespacedPodLog({ namespace: 'default', name: 'logger', tailLines: 1 })).toBe('line 3\n');
    const wrong = await failure(core.readNamespacedPodLog({ namespace: 'default', name: 'logger', container: 'nope' }));
    expect(wrong.code).toBe(400);
  });

  it('answers 401 Unauthorized to a wrong token', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(env.api.kubeconfig().replace(TOKEN, 'wrong-token'));
    expect((await failure(kc.makeApiClient(CoreV1Api).listNamespace())).code).toBe(401);
    expect(env.api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/namespaces', status: 401 });
    // client-node drops 401 bodies; the raw answer is a Status, as from a real apiserver.
    const raw = await rawGet(env.api, '/api/v1/pods', { authorization: 'Bearer nope' });
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await rawGet(env.api, '/api/v1/pods', {})).status).toBe(401);
  });
});

describe('discovery', () => {
  it('serves version, classic and aggregated discovery, and a minimal OpenAPI v3', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const version = await rawGet(env.api, '/version', {});
    expect(JSON.parse(version.body)).toMatchObject({ major: '1', minor: '32' });
    const core = JSON.parse((await rawGet(env.api, '/api/v1', auth)).body);
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['pods', 'pods/log', 'pods/binding', 'nodes/status']),
    );
    const aggregated = await rawGet(env.api, '/apis', {
      ...auth,
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(aggregated.type).toContain('as=APIGroupDiscoveryList');
    expect(JSON.parse(aggregated.body).items.map((g: { metadata: { name: string } }) => g.metadata.name)).toEqual([
      'apps',
      'batch',
      'coordination.k8s.io',
      'networking.k8s.io',
      'autoscaling',
      'apiextensions.k8s.io',
    ]);
    const root = JSON.parse((await rawGet(env.api, '/openapi/v3', auth)).body);
    expect(Object.keys(root.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/coordination.k8s.io/v1',
      'apis/networking.k8s.io/v1',
      'apis/autoscaling/v2',
      'apis/apiextensions.k8s.io/v1',
    ]);
    expect((await rawGet(env.api, '/apis/policy/v1', auth)).status).toBe(404);
  });

  it('prints a Table when asked, as kubectl asks', async () => {
    const table = await rawGet(env.api, '/api/v1/nodes', {
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    const doc = JSON.parse(table.body);
    expect(doc.kind).toBe('Table');
    expect(
      doc.columnDefinitions.filter((c: { priority: number }) => c.priority === 0).map((c: { name: string }) => c.name),
    ).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(doc.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3))).toContainEqual([
      'virtual-node-aci-linux',
      'Ready',
      'agent',
    ]);
  });
});

describe('less common verbs and bodies', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('deletes a collection by label selector', async () => {
    const { core } = env;
    await core.createNamespace({ body: { metadata: { name: 'collection' } } });
    for (const [name, app] of [
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ]) {
      await core.createNamespacedConfigMap({
        namespace: 'collection',
        body: { metadata: { name, labels: { app: app! } } },
      });
    }
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'collection', labelSelector: 'app=x' });
    expect(
      (await core.listNamespacedConfigMap({ namespace: 'collection' })).items.map((c) => c.metadata?.name),
    ).toEqual(['c']);
  });

  it('stores nothing on dryRun=All', async () => {
    const { core } = env;
    const dry = await core.createNamespacedConfigMap({
      namespace: 'default',
      dryRun: 'All',
      body: { metadata: { name: 'dry' } },
    });
    expect(dry.metadata?.uid).toBeDefined();
    expect((await failure(core.readNamespacedConfigMap({ namespace: 'default', name: 'dry' }))).code).toBe(404);
  });

  it('creates and then merges with server-side apply, which needs a field manager', async () => {
    const { core } = env;
    const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'default' },
      data: { a: '1' },
    };
    const created = await core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'ssa', body, fieldManager: 'test' },
      apply,
    );
    expect(created.data).toEqual({ a: '1' });
    const merged = await core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'ssa', body: { ...body, data: { b: '2' } }, fieldManager: 'test' },
      apply,
    );
    expect(merged.data).toEqual({ a: '1', b: '2' });
    expect(
      (await failure(core.patchNamespacedConfigMap({ namespace: 'default', name: 'ssa', body }, apply))).code,
    ).toBe(422);
  });

  it('refuses protobuf bodies with 415 and a name that differs from the URL with 400', async () => {
    const proto = await rawRequest(
      env.api,
      'POST',
      '/api/v1/namespaces',
      { ...auth, 'content-type': 'application/vnd.kubernetes.protobuf' },
      Buffer.from('k8s\0'),
    );
    expect(proto.status).toBe(415);
    expect(JSON.parse(proto.body).reason).toBe('UnsupportedMediaType');
    const renamed = await rawRequest(
      env.api,
      'PUT',
      '/api/v1/namespaces/default/configmaps/one',
      { ...auth, 'content-type': 'application/json' },
      JSON.stringify({ metadata: { name: 'two' } }),
    );
    expect(renamed.status).toBe(400);
  });
});
