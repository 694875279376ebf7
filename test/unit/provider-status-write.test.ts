// The status write's rules over a hand-made port (our own interface, not an SDK): only on change, the live
// resourceVersion, and on 409 a fresh read and a recomputed status.
import { describe, expect, it } from 'vitest';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { KubeHttpError, type ProviderKube } from '../../src/kube/provider-objects.js';
import { writeStatus, type PodEntry } from '../../src/provider/pod-state.js';
import type { ProviderEvent } from '../../src/provider/events.js';

const pod = (rv: string, phase?: string): V1Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: rv },
  status: phase ? { phase } : {},
});
function port(conflicts: number) {
  const sent: string[] = [];
  let live = pod('2', 'Pending');
  const kube = {
    async replacePodStatus(p: V1Pod, status: V1PodStatus) {
      sent.push(p.metadata!.resourceVersion!);
      if (p.metadata!.resourceVersion !== live.metadata!.resourceVersion || conflicts-- > 0) {
        live = {
          ...live,
          metadata: { ...live.metadata, resourceVersion: String(Number(live.metadata!.resourceVersion) + 1) },
        };
        throw new KubeHttpError(409, 'the object has been modified');
      }
      live = {
        ...p,
        status,
        metadata: { ...p.metadata, resourceVersion: String(Number(p.metadata!.resourceVersion) + 1) },
      };
      return live;
    },
    getPod: async () => live,
  } as unknown as ProviderKube;
  return { kube, sent };
}
const entry = (p: V1Pod): PodEntry => ({
  key: 'ns/p',
  pod: p,
  state: 'running',
  events: new Map(),
  chain: Promise.resolve(),
});

describe('status writes', () => {
  it('skips a write when nothing changed', async () => {
    const { kube, sent } = port(0);
    const out: ProviderEvent[] = [];
    const stats = { statusWrites: 0, conflicts: 0 };
    expect(
      await writeStatus(
        entry(pod('2', 'Running')),
        () => ({ phase: 'Running' }),
        kube,
        { emit: (e) => out.push(e) },
        stats,
      ),
    ).toBe(false);
    expect(sent).toEqual([]);
  });
  it('on 409 reads the pod again and retries with its resourceVersion', async () => {
    const { kube, sent } = port(0);
    const out: ProviderEvent[] = [];
    const stats = { statusWrites: 0, conflicts: 0 };
    const e = entry(pod('1', 'Pending'));
    expect(await writeStatus(e, () => ({ phase: 'Running' }), kube, { emit: (x) => out.push(x) }, stats)).toBe(true);
    expect(sent).toEqual(['1', '3']);
    expect(stats).toEqual({ statusWrites: 1, conflicts: 1 });
    expect(out).toEqual([expect.objectContaining({ event: 'status-written', phase: 'Running', conflicts: 1 })]);
    expect(e.pod.status?.phase).toBe('Running');
  });
});
