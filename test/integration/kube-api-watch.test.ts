// The emulated Kubernetes API server's asynchronous side: watches with resourceVersion semantics (through
// @kubernetes/client-node), the scheduler binding pods or saying why it cannot, and raw streams (bookmarks, logs).
import { KubeConfig, Watch, makeInformer } from '@kubernetes/client-node';
import https from 'node:https';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  CLUSTER,
  ON_VIRTUAL_NODE,
  TOKEN,
  eventually,
  failure,
  node,
  pod,
  rawGet,
  start,
  useTestKube,
  type TestKube,
} from '../helpers/kube-api.js';
import { testTls } from '../helpers/kube-tls.js';

const env = useTestKube();

describe('watch', () => {
  /** Collects events from a client-node Watch until `count` arrived. */
  const collect = async (
    kc: KubeConfig,
    path: string,
    params: Record<string, string>,
    count: number,
    act: () => Promise<void>,
  ) => {
    const events: { type: string; name: string | undefined; code?: number; reason?: string }[] = [];
    let controller: AbortController | undefined;
    const done = new Promise<void>((resolve, reject) => {
      void new Watch(kc)
        .watch(
          path,
          params,
          (type, obj) => {
            events.push({ type, name: obj?.metadata?.name, code: obj?.code, reason: obj?.reason });
            if (events.length >= count) resolve();
          },
          (err) => (err === null || err === undefined || events.length >= count ? resolve() : reject(err)),
        )
        .then((c) => (controller = c));
    });
    await act();
    await done;
    controller?.abort();
    return events;
  };

  it('replays and streams ADDED, MODIFIED, DELETED in order from a resourceVersion', async () => {
    const { core, kc } = env;
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const { metadata } = await core.listNamespacedConfigMap({ namespace: 'watched' });
    await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'w' }, data: { v: '1' } } });
    const events = await collect(
      kc,
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: metadata!.resourceVersion! },
      3,
      async () => {
        await core.patchNamespacedConfigMap({
          namespace: 'watched',
          name: 'w',
          body: [{ op: 'replace', path: '/data/v', value: '2' }],
        });
        await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'w' });
      },
    );
    expect(events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const small = await start({ watchHistory: 3 });
    onTestFinished(() => small.api.close());
    for (let i = 0; i < 6; i++)
      await small.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `c${i}` } } });
    const events = await collect(
      small.kc,
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: '1' },
      1,
      async () => {},
    );
    expect(events).toEqual([{ type: 'ERROR', name: undefined, code: 410, reason: 'Expired' }]);
  });
  it("answers a resourceVersion newer than the server's with an ERROR event carrying 504 Timeout, at once", async () => {
    const { core, kc } = env;
    const { metadata } = await core.listNamespacedConfigMap({ namespace: 'default' });
    const ahead = String(Number(metadata!.resourceVersion) + 1000);
    const events = await collect(
      kc,
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: ahead },
      1,
      async () => {},
    );
    expect(events).toEqual([{ type: 'ERROR', name: undefined, code: 504, reason: 'Timeout' }]);
    const raw = await rawGet(env.api, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${ahead}`, {
      Authorization: `Bearer ${TOKEN}`,
    });
    expect(JSON.parse(raw.body).object).toMatchObject({
      message: expect.stringMatching(/^Timeout: Too large resource version: \d+, current: \d+$/),
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
    });
  });

  it('keeps a watch with a timeoutSeconds beyond what a timer can hold open', async () => {
    const { core, kc } = env;
    await core.createNamespace({ body: { metadata: { name: 'long-watch' } } });
    const events = await collect(
      kc,
      '/api/v1/namespaces/long-watch/configmaps',
      { timeoutSeconds: '10000000000' },
      1,
      async () => {
        await new Promise((r) => setTimeout(r, 50));
        await core.createNamespacedConfigMap({ namespace: 'long-watch', body: { metadata: { name: 'late' } } });
      },
    );
    expect(events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED late']);
  });
});

describe('informer', () => {
  it("feeds client-node's informer: list, then add/update/delete from the watch", async () => {
    const { core, kc } = env;
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'before' } } });
    const seen: string[] = [];
    const informer = makeInformer(kc, '/api/v1/namespaces/informed/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'informed' }),
    );
    for (const verb of ['add', 'update', 'delete'] as const)
      informer.on(verb, (o) => seen.push(`${verb} ${o.metadata?.name}`));
    await informer.start();
    onTestFinished(() => informer.stop());
    await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'after' } } });
    await core.patchNamespacedConfigMap({
      namespace: 'informed',
      name: 'after',
      body: [{ op: 'add', path: '/data', value: { k: 'v' } }],
    });
    await core.deleteNamespacedConfigMap({ namespace: 'informed', name: 'before' });
    await eventually(
      async () => seen.length,
      (n) => n >= 4,
    );
    expect(seen).toEqual(['add before', 'add after', 'update after', 'delete before']);
  });
});

describe('scheduler', () => {
  it('binds a pod tolerating the virtual-kubelet taint onto the virtual node', async () => {
    const { core } = env;
    await core.createNamespacedPod({ namespace: 'default', body: pod('aci-pod', ON_VIRTUAL_NODE) });
    const bound = await eventually(
      () => core.readNamespacedPod({ namespace: 'default', name: 'aci-pod' }),
      (p) => p.spec?.nodeName !== undefined,
    );
    expect(bound.spec?.nodeName).toBe('virtual-node-aci-linux');
    expect(bound.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    expect(bound.status?.phase).toBe('Pending');
  });

  it('leaves an intolerant pod Pending with FailedScheduling, and binds it once a node fits', async () => {
    const { core, api } = await start({ objects: [CLUSTER[1]] });
    onTestFinished(() => api.close());
    await core.createNamespacedPod({ namespace: 'default', body: pod('intolerant') });
    const pending = await eventually(
      () => core.readNamespacedPod({ namespace: 'default', name: 'intolerant' }),
      (p) => p.status?.conditions?.some((c) => c.reason === 'Unschedulable') === true,
    );
    expect(pending.spec?.nodeName).toBeUndefined();
    expect(pending.status?.conditions?.[0]?.message).toContain(
      '1 node(s) had untolerated taint {virtual-kubelet.io/provider: azure}',
    );
    const events = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=intolerant',
    });
    expect(events.items.map((e) => e.reason)).toEqual(['FailedScheduling']);
    await core.createNode({ body: node('aks-nodepool1-late') });
    const bound = await eventually(
      () => core.readNamespacedPod({ namespace: 'default', name: 'intolerant' }),
      (p) => p.spec?.nodeName !== undefined,
    );
    expect(bound.spec?.nodeName).toBe('aks-nodepool1-late');
  });

  it('binds through the pods/binding subresource and keeps virtual-node pods until the provider finalises them', async () => {
    const { core, api } = await start({ scheduler: false });
    onTestFinished(() => api.close());
    await core.createNamespacedPod({ namespace: 'default', body: pod('manual') });
    await core.createNamespacedPodBinding({
      namespace: 'default',
      name: 'manual',
      body: { metadata: { name: 'manual' }, target: { kind: 'Node', name: 'virtual-node-aci-linux' } },
    });
    const twice = await failure(
      core.createNamespacedPodBinding({
        namespace: 'default',
        name: 'manual',
        body: { metadata: { name: 'manual' }, target: { kind: 'Node', name: 'x' } },
      }),
    );
    expect(twice.code).toBe(409);
    await core.deleteNamespacedPod({ namespace: 'default', name: 'manual' });
    const terminating = await core.readNamespacedPod({ namespace: 'default', name: 'manual' });
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await core.deleteNamespacedPod({ namespace: 'default', name: 'manual', gracePeriodSeconds: 0 });
    expect((await failure(core.readNamespacedPod({ namespace: 'default', name: 'manual' }))).code).toBe(404);
    expect(api.requests.filter((r) => r.resource === 'pods/binding').map((r) => r.status)).toEqual([201, 409]);
  });
});

describe('streams', () => {
  /** Opens a raw streaming GET and hands back what arrives, until the server ends it or `stop` is called. */
  const stream = async (api: TestKube['api'], path: string) => {
    const { ca } = await testTls();
    let text = '';
    let ended = false;
    const req = https.get(`${api.url}${path}`, { ca, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (ended = true));
    });
    req.on('error', () => {});
    return { text: () => text, ended: () => ended, stop: () => req.destroy() };
  };

  it('sends bookmarks when allowed and ends at timeoutSeconds', async () => {
    const { api } = await start({ bookmarkIntervalMs: 50 });
    onTestFinished(() => api.close());
    const s = await stream(
      api,
      `/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${api.store.resourceVersion}`,
    );
    await eventually(
      async () => s.ended(),
      (ended) => ended,
    );
    const events = s
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(3);
    expect(
      events.every(
        (e) =>
          e.type === 'BOOKMARK' &&
          e.object.kind === 'Pod' &&
          e.object.metadata.resourceVersion === api.store.resourceVersion,
      ),
    ).toBe(true);
  });

  it('follows a pod log until the pod is gone', async () => {
    const { api, core } = env;
    await core.createNamespacedPod({ namespace: 'default', body: pod('follower', ON_VIRTUAL_NODE) });
    await eventually(
      () => core.readNamespacedPod({ namespace: 'default', name: 'follower' }),
      (p) => p.spec?.nodeName !== undefined,
    );
    api.store.logs.append('default', 'follower', 'app', 'one\n');
    const s = await stream(api, '/api/v1/namespaces/default/pods/follower/log?follow=true');
    await eventually(
      async () => s.text(),
      (t) => t === 'one\n',
    );
    api.store.logs.append('default', 'follower', 'app', 'two\n');
    await eventually(
      async () => s.text(),
      (t) => t === 'one\ntwo\n',
    );
    await core.deleteNamespacedPod({ namespace: 'default', name: 'follower', gracePeriodSeconds: 0 });
    expect(
      await eventually(
        async () => s.ended(),
        (ended) => ended,
      ),
    ).toBe(true);
    expect(s.text()).toBe('one\ntwo\n');
  });
});
