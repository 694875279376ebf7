import { describe, expect, it } from 'vitest';
import { KubeError } from '../../src/emulator/kube/errors.js';
import { KubeStore, type WatchEvent } from '../../src/emulator/kube/store.js';
import { startServiceAccountController } from '../../src/emulator/kube/controllers/serviceaccounts.js';

// A store with the ServiceAccount controller beside it, as in a cluster: pods need their namespace's `default`.
const withAccounts = (store: KubeStore): KubeStore => {
  startServiceAccountController(store);
  return store;
};

const cm = (name: string, labels: Record<string, string> = {}, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { k: 'v' },
});

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName === undefined ? {} : { nodeName }) },
});

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof KubeError ? err.code : -1;
  }
  return undefined;
};

const events = (store: KubeStore, ref: string, options: Parameters<KubeStore['watch']>[1]) => {
  const seen: WatchEvent[] = [];
  const stop = store.watch(ref, options, (e) => seen.push(e));
  return { seen, stop, summary: () => seen.map((e) => `${e.type} ${e.object.metadata.name}`) };
};

describe('KubeStore', () => {
  it('starts with the system namespaces and hands out increasing resourceVersions', () => {
    const store = withAccounts(new KubeStore());
    expect(store.list('namespaces').items.map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const a = store.create('configmaps', cm('a'));
    const b = store.create('configmaps', cm('b'));
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    expect(store.resourceVersion).toBe(b.metadata.resourceVersion);
  });

  it('refuses objects in a namespace that does not exist, duplicates, and bad names', () => {
    const store = withAccounts(new KubeStore());
    expect(codeOf(() => store.create('configmaps', cm('a', {}, 'nowhere')))).toBe(404);
    store.create('configmaps', cm('a'));
    expect(codeOf(() => store.create('configmaps', cm('a')))).toBe(409);
    expect(codeOf(() => store.create('configmaps', cm('Not_Valid')))).toBe(422);
    expect(codeOf(() => store.create('configmaps', { ...cm('x'), kind: 'Secret' }))).toBe(400);
  });

  it('keeps the resourceVersion on a no-op update and bumps generation only for spec changes', () => {
    const store = withAccounts(new KubeStore());
    const created = store.create('pods', pod('p'));
    expect(store.update('pods', created).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const labelled = store.update('pods', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    expect(labelled.metadata.generation).toBe(1);
    const changed = store.update('pods', {
      ...labelled,
      spec: { ...(labelled.spec as object), activeDeadlineSeconds: 5 },
    });
    expect(changed.metadata.generation).toBe(2);
    expect(codeOf(() => store.update('pods', labelled))).toBe(409);
  });

  it('changes status only through the status subresource', () => {
    const store = withAccounts(new KubeStore());
    const created = store.create('pods', pod('p'));
    const ignored = store.update('pods', { ...created, status: { phase: 'Running' } });
    expect((ignored.status as { phase: string }).phase).toBe('Pending');
    const running = store.update(
      'pods',
      { ...created, spec: {}, status: { phase: 'Running' } },
      { subresource: 'status' },
    );
    expect(running.status).toEqual({ phase: 'Running' });
    expect((running.spec as { containers: unknown[] }).containers).toHaveLength(1);
  });

  it('calls hooks after each change and stops when unsubscribed', () => {
    const store = withAccounts(new KubeStore());
    const calls: string[] = [];
    const off = store.on('Pod', 'created', (o) =>
      calls.push(`created ${o.metadata.name} rv=${o.metadata.resourceVersion}`),
    );
    store.on('pods', 'deleted', (o) => calls.push(`deleted ${o.metadata.name}`));
    const p = store.create('pods', pod('a'));
    off();
    store.create('pods', pod('b'));
    store.delete('pods', 'default', 'a');
    expect(calls).toEqual([`created a rv=${p.metadata.resourceVersion}`, 'deleted a']);
  });

  it('replays from a resourceVersion and turns selector transitions into ADDED/DELETED', () => {
    const store = withAccounts(new KubeStore());
    const from = store.resourceVersion;
    store.create('configmaps', cm('a', { app: 'x' }));
    const w = events(store, 'configmaps', { resourceVersion: from, labelSelector: 'app=x' });
    const a = store.get('configmaps', 'default', 'a')!;
    store.update('configmaps', { ...a, metadata: { ...a.metadata, labels: { app: 'y' } } });
    const moved = store.get('configmaps', 'default', 'a')!;
    store.update('configmaps', { ...moved, metadata: { ...moved.metadata, labels: { app: 'x' } } });
    store.delete('configmaps', 'default', 'a');
    w.stop();
    store.create('configmaps', cm('after', { app: 'x' }));
    expect(w.summary()).toEqual(['ADDED a', 'DELETED a', 'ADDED a', 'DELETED a']);
  });

  it('starts a watch without resourceVersion with the current objects, and marks their end when asked', () => {
    const store = withAccounts(new KubeStore());
    store.create('configmaps', cm('a'));
    expect(events(store, 'configmaps', {}).summary()).toEqual(['ADDED a']);
    const w = events(store, 'configmaps', { resourceVersion: store.resourceVersion, sendInitialEvents: true });
    expect(w.seen.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(w.seen[1]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('answers 410 Expired for watches and continue tokens older than the history window', () => {
    const store = withAccounts(new KubeStore({ watchHistory: 3 }));
    for (const n of ['a', 'b', 'c']) store.create('configmaps', cm(n));
    const page = store.list('configmaps', { limit: 1 });
    expect(page.continue).toBeDefined();
    for (const n of ['d', 'e', 'f', 'g']) store.create('configmaps', cm(n));
    expect(codeOf(() => store.watch('configmaps', { resourceVersion: '1' }, () => {}))).toBe(410);
    expect(codeOf(() => store.list('configmaps', { limit: 1, continue: page.continue }))).toBe(410);
    expect(
      codeOf(() => store.watch('configmaps', { resourceVersion: String(Number(store.resourceVersion) - 2) }, () => {})),
    ).toBeUndefined();
  });

  it('marks objects with finalizers and removes them when the last finalizer goes', () => {
    const store = withAccounts(new KubeStore());
    store.create('configmaps', { ...cm('f'), metadata: { ...cm('f').metadata, finalizers: ['example.com/hold'] } });
    expect(store.delete('configmaps', 'default', 'f').removed).toBe(false);
    const marked = store.get('configmaps', 'default', 'f')!;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    store.update('configmaps', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.get('configmaps', 'default', 'f')).toBeUndefined();
  });

  it('deletes pods on a virtual node gracefully and others at once', () => {
    const store = withAccounts(new KubeStore());
    store.create('pods', pod('vk', 'virtual-node-aci-linux'));
    store.create('pods', pod('plain', 'aks-nodepool1-0'));
    expect(store.delete('pods', 'default', 'plain').removed).toBe(true);
    const first = store.delete('pods', 'default', 'vk');
    expect(first.removed).toBe(false);
    expect(first.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.delete('pods', 'default', 'vk', { gracePeriodSeconds: 0 }).removed).toBe(true);
    expect(store.get('pods', 'default', 'vk')).toBeUndefined();
  });

  it('removes what a namespace holds when it is deleted', () => {
    const store = withAccounts(new KubeStore());
    store.create('namespaces', { metadata: { name: 'team' } });
    store.create('configmaps', cm('in-team', {}, 'team'));
    store.delete('namespaces', undefined, 'team');
    expect(store.list('configmaps', { namespace: 'team' }).items).toEqual([]);
  });
});
