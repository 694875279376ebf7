import { describe, expect, it, onTestFinished } from 'vitest';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { startInformer } from '../../src/kube/informer.js';
import { kubeJson } from '../../src/kube/raw.js';
import { pod, start } from '../helpers/kube-api.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/emulated.js';

/** The provider's pod informer through a proxy the test can cut. */
async function informed(watchHistory: number, timeoutSeconds = 300) {
  const kube = await start({ watchHistory, bookmarkIntervalMs: 600_000 });
  const proxy = await tcpProxy(kube.api.url);
  const kc = new KubeConfig();
  kc.loadFromString(kube.api.kubeconfig().replace(kube.api.url, proxy.url));
  const json = await kubeJson(kc);
  const seen = new Map<string, string>();
  const trouble: string[] = [];
  let lists = 0;
  const informer = startInformer<V1Pod>(
    json,
    '/api/v1/pods',
    { fieldSelector: 'spec.nodeName=virtual-node-aci-linux' },
    {
      upsert: (p) => seen.set(p.metadata!.name!, p.metadata!.resourceVersion!),
      remove: (p) => seen.delete(p.metadata!.name!),
      synced: () => lists++,
      trouble: (m) => trouble.push(m),
    },
    { retryMs: 50, timeoutSeconds },
  );
  onTestFinished(async () => {
    informer.stop();
    json.close();
    await proxy.close();
    await kube.api.close();
  });
  await informer.ready;
  return { ...kube, proxy, seen, trouble, lists: () => lists };
}
const bound = (name: string) => pod(name, { nodeName: 'virtual-node-aci-linux' });

describe('the provider informer (list, watch, list again)', () => {
  it('survives a dropped watch: it lists again and catches up, deletes included', async () => {
    const k = await informed(1000);
    await k.core.createNamespacedPod({ namespace: 'default', body: bound('a') });
    await until(() => k.seen.has('a'));
    k.proxy.cut();
    await k.core.createNamespacedPod({ namespace: 'default', body: bound('b') });
    await k.core.deleteNamespacedPod({ namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    await until(() => k.seen.has('b') && !k.seen.has('a'), 5000);
    expect(k.trouble.some((m) => m.startsWith('watch dropped'))).toBe(true);
    expect(k.lists()).toBeGreaterThanOrEqual(2);
  });

  it('lists again after 410 Gone: changes it does not watch compacted its resourceVersion away', async () => {
    const k = await informed(2, 1);
    // Pods on other nodes move the server's version on but not the informer's (no bookmarks here).
    for (let i = 0; i < 5; i++) await k.core.createNamespacedPod({ namespace: 'default', body: pod(`other${i}`) });
    await until(() => k.trouble.some((m) => m.includes('410')), 5000);
    await k.core.createNamespacedPod({ namespace: 'default', body: bound('after') });
    await until(() => k.seen.has('after'), 5000);
    expect(k.lists()).toBeGreaterThanOrEqual(2);
  });
});
