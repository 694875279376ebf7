import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { V1Pod } from '@kubernetes/client-node';
import { groupEvents, newEvents, podStatusOf, sameStatus, waitingReason } from '../../src/provider/status.js';
import { containerGroupName, hashedName, podOfTags, podTags } from '../../src/provider/names.js';
import { fingerprint, planReads, steadyReadsPerPodMinute, type TrackedGroup } from '../../src/provider/sync-plan.js';

const EXAMPLES = '/work/shared/fixtures/arm-examples/Microsoft.ContainerInstance';
/** ARM's wire body (nested `properties`) in the SDK's flattened shape. */
function fromWire(body: any): ContainerGroup {
  const flat = (o: any) => ({ ...o, ...(o.properties ?? {}), properties: undefined });
  const g = flat(body);
  return { ...g, containers: (g.containers ?? []).map(flat), initContainers: (g.initContainers ?? []).map(flat) };
}
const example = (name: string): ContainerGroup =>
  fromWire(JSON.parse(readFileSync(`${EXAMPLES}/${name}.json`, 'utf8')).responses['200'].body);
const pod: V1Pod = {
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'demo1', image: 'nginx' }] },
};
const ctx = { hostIP: '10.240.0.4', now: '2026-12-01T00:00:00Z' };
const group = (state: string | undefined, containers: any[], extra: Partial<ContainerGroup> = {}): ContainerGroup => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/ns-p',
  name: 'ns-p',
  osType: 'Linux',
  provisioningState: 'Succeeded',
  ...(state ? { instanceView: { state } } : {}),
  containers: containers.map((iv, i) => ({
    name: i === 0 ? 'demo1' : `c${i}`,
    image: 'nginx',
    resources: { requests: { cpu: 1, memoryInGB: 1 } },
    instanceView: iv,
  })),
  ...extra,
});
const T0 = '2026-12-01T00:00:01Z';
const T1 = '2026-12-01T00:00:09Z';

describe('podStatusOf', () => {
  it('the ARM example ContainerGroupsGet_Failed: Pending, waiting, PodScheduled kept', () => {
    const s = podStatusOf(example('ContainerGroupsGet_Failed'), pod, ctx);
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0]!.state!.waiting!.reason).toBe('ContainerCreating');
    expect(s.conditions!.map((c) => [c.type, c.status])).toEqual([
      ['PodScheduled', 'True'],
      ['Initialized', 'True'],
      ['ContainersReady', 'False'],
      ['Ready', 'False'],
    ]);
    expect(s.podIP).toBe('10.0.0.1');
  });
  it('the ARM example ContainerGroupsGet_Succeeded (no instanceView): Pending, not Unknown', () => {
    expect(podStatusOf(example('ContainerGroupsGet_Succeeded'), pod, ctx).phase).toBe('Pending');
  });

  it.each<[string, string | undefined, any, string, Record<string, unknown>]>([
    [
      'running',
      'Running',
      { restartCount: 0, currentState: { state: 'Running', startTime: T0 } },
      'Running',
      { running: { startedAt: T0 } },
    ],
    [
      'exit 0',
      'Succeeded',
      { currentState: { state: 'Terminated', exitCode: 0, startTime: T0, finishTime: T1 } },
      'Succeeded',
      { terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T1 } },
    ],
    [
      'exit 3 is Error, not Completed',
      'Failed',
      { currentState: { state: 'Terminated', exitCode: 3, startTime: T0, finishTime: T1 } },
      'Failed',
      { terminated: { exitCode: 3, reason: 'Error', startedAt: T0, finishedAt: T1 } },
    ],
    [
      'OOM',
      'Failed',
      { currentState: { state: 'Terminated', exitCode: 137, detailStatus: 'OOMKilled' } },
      'Failed',
      { terminated: { exitCode: 137, reason: 'OOMKilled', message: 'OOMKilled' } },
    ],
    [
      'stopped group',
      'Stopped',
      { currentState: { state: 'Terminated', exitCode: 0 } },
      'Failed',
      { terminated: { exitCode: 0, reason: 'Completed' } },
    ],
  ])('%s', (_n, state, iv, phase, containerState) => {
    const s = podStatusOf(group(state, [iv]), pod, ctx);
    expect(s.phase).toBe(phase);
    expect(s.containerStatuses![0]!.state).toEqual(containerState);
  });

  it('image pull failures become ErrImagePull, then ImagePullBackOff', () => {
    const pulling = {
      currentState: { state: 'Waiting', detailStatus: '' },
      events: [
        {
          name: 'Failed',
          type: 'Warning',
          count: 1,
          message: 'Failed to pull image "nope:1": manifest unknown',
          lastTimestamp: T0,
        },
      ],
    };
    expect(waitingReason(pulling as never).reason).toBe('ErrImagePull');
    expect(waitingReason({ ...pulling, events: [{ ...pulling.events[0], count: 3 }] } as never).reason).toBe(
      'ImagePullBackOff',
    );
    const s = podStatusOf(group('Pending', [pulling]), pod, ctx);
    expect(s.containerStatuses![0]!.state!.waiting).toMatchObject({
      reason: 'ErrImagePull',
      message: expect.stringContaining('manifest unknown'),
    });
  });

  it.each([
    ['ImagePullBackOff: Back-off pulling image "x"', 'ImagePullBackOff', 'Back-off pulling image "x"'],
    ['CrashLoopBackOff: Back-off restarting failed', 'CrashLoopBackOff', 'Back-off restarting failed'],
    ['PodInitializing', 'PodInitializing', undefined],
  ])('a reason ACI names first (%s) is kept', (detailStatus, reason, message) => {
    expect(waitingReason({ currentState: { state: 'Waiting', detailStatus } } as never)).toEqual({
      reason,
      ...(message ? { message } : {}),
    });
  });

  it('restarts: count, lastState with the previous exit code, CrashLoopBackOff while waiting', () => {
    const iv = {
      restartCount: 2,
      currentState: { state: 'Waiting' },
      previousState: { state: 'Terminated', exitCode: 1, startTime: T0, finishTime: T1 },
    };
    const s = podStatusOf(group('Running', [iv]), pod, ctx);
    const c = s.containerStatuses![0]!;
    expect(c.restartCount).toBe(2);
    expect(c.lastState).toEqual({ terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: T1 } });
    expect(c.state!.waiting!.reason).toBe('CrashLoopBackOff');
  });

  it('init containers report statuses; Initialized follows them; Ready needs every container', () => {
    const g = group(
      'Running',
      [{ currentState: { state: 'Running', startTime: T0 } }, { currentState: { state: 'Waiting' } }],
      {
        initContainers: [
          { name: 'init', image: 'busybox', instanceView: { currentState: { state: 'Terminated', exitCode: 0 } } },
        ],
      },
    );
    const s = podStatusOf(g, pod, ctx);
    expect(s.initContainerStatuses![0]).toMatchObject({
      name: 'init',
      ready: true,
      state: { terminated: { reason: 'Completed' } },
    });
    expect(s.conditions!.find((c) => c.type === 'Initialized')!.status).toBe('True');
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    expect(s).toMatchObject({ hostIP: '10.240.0.4', hostIPs: [{ ip: '10.240.0.4' }] });
  });

  it('keeps transition times when nothing changed, so a second mapping is the same status', () => {
    const g = group('Running', [{ currentState: { state: 'Running', startTime: T0 } }], {
      ipAddress: { type: 'Private', ip: '10.241.0.5', ports: [] },
    });
    const first = podStatusOf(g, pod, ctx);
    expect(first).toMatchObject({ podIP: '10.241.0.5', podIPs: [{ ip: '10.241.0.5' }] });
    const second = podStatusOf(g, { ...pod, status: first }, { ...ctx, now: '2026-12-01T01:00:00Z' });
    expect(second.conditions).toEqual(first.conditions);
    expect(sameStatus(first, second)).toBe(true);
    expect(
      sameStatus(
        first,
        podStatusOf(group('Succeeded', [{ currentState: { state: 'Terminated', exitCode: 0 } }]), pod, ctx),
      ),
    ).toBe(false);
  });
});

describe('ACI events → Kubernetes events', () => {
  it('reports each once; a repeat with a higher count is reported again', () => {
    const g = example('ContainerGroupsGet_Failed');
    const seen = new Map<string, number>();
    const first = newEvents(groupEvents(g), seen);
    expect(first.map((e) => [e.container ?? '', e.reason])).toEqual([
      ['', 'FailedMount'],
      ['demo1', 'Pulling'],
      ['demo1', 'Pulled'],
    ]);
    expect(newEvents(groupEvents(g), seen)).toEqual([]);
    const again = structuredClone(g);
    (again.containers[0]!.instanceView!.events![0] as { count: number }).count = 2;
    expect(newEvents(groupEvents(again), seen).map((e) => e.reason)).toEqual(['Pulling']);
  });
});

describe('names', () => {
  it.each<[string, string, Map<string, string>, string]>([
    ['default', 'web-1', new Map(), 'default-web-1'],
    ['default', 'web.1', new Map(), hashedName('default', 'web.1')],
    ['a', 'b-c', new Map([['a-b-c', 'a-b/c']]), hashedName('a', 'b-c')],
    ['a', 'b-c', new Map([['a-b-c', 'a/b-c']]), 'a-b-c'],
    ['ns', 'x'.repeat(70), new Map(), hashedName('ns', 'x'.repeat(70))],
  ])('%s/%s', (ns, name, taken, expected) => {
    const n = containerGroupName(ns, name, taken);
    expect(n).toBe(expected);
    expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
  it('hashes are stable and differ per pod', () => {
    expect(hashedName('a', 'b.c')).toBe(hashedName('a', 'b.c'));
    expect(hashedName('a-b', 'c')).not.toBe(hashedName('a', 'b-c'));
  });
  it('tags round-trip', () => {
    expect(podOfTags(podTags({ namespace: 'n', name: 'p', uid: 'u', node: 'x' }))).toEqual({
      namespace: 'n',
      name: 'p',
      uid: 'u',
      node: 'x',
    });
    expect(podOfTags({ other: '1' })).toBeUndefined();
  });
});

describe('planReads', () => {
  const timing = { intervalMs: 5000, refreshMs: 60_000 };
  const steady = (print: string, lastReadTick = 0): TrackedGroup => ({
    fingerprint: print,
    transitional: false,
    terminal: false,
    lastReadTick,
  });
  it.each<[string, TrackedGroup | undefined, string, string | undefined]>([
    ['new group', undefined, 'f', 'new'],
    ['never read', { transitional: true, terminal: false, lastReadTick: -1 }, 'f', 'new'],
    ['list entry changed', steady('old'), 'new', 'changed'],
    ['pod in transition', { ...steady('f'), transitional: true }, 'f', 'transition'],
    ['terminal pod', { ...steady('f'), terminal: true }, 'f', undefined],
  ])('%s', (_n, tracked, print, reason) => {
    const reads = planReads(new Map([['g', print]]), new Map(tracked ? [['g', tracked]] : []), 7, timing);
    expect(reads.get('g')).toBe(reason);
  });

  it('reads each steady group once per refresh period, spread evenly over the ticks', () => {
    const names = Array.from({ length: 1200 }, (_, i) => `ns-pod-${i}`);
    const listed = new Map(names.map((n) => [n, 'f']));
    const tracked = new Map(names.map((n) => [n, steady('f', 1000)]));
    const perTick: number[] = [];
    const perGroup = new Map<string, number>();
    for (let tick = 0; tick < 12; tick++) {
      const reads = planReads(listed, tracked, tick, timing);
      perTick.push(reads.size);
      for (const n of reads.keys()) perGroup.set(n, (perGroup.get(n) ?? 0) + 1);
    }
    expect([...perGroup.values()].every((n) => n === 1)).toBe(true);
    expect(perGroup.size).toBe(1200);
    expect(Math.max(...perTick)).toBeLessThan(160);
    expect(Math.min(...perTick)).toBeGreaterThan(40);
  });

  it('steady state stays under 2.4 reads per pod per minute (azure-aci: ~24)', () => {
    expect(steadyReadsPerPodMinute(1000, timing, 100)).toBeLessThanOrEqual(2.4);
  });

  it('fingerprints ignore what the list cannot show and see what it can', () => {
    const a = group(undefined, [{}]);
    expect(fingerprint(a)).toBe(fingerprint(structuredClone(a)));
    expect(fingerprint({ ...a, provisioningState: 'Failed' })).not.toBe(fingerprint(a));
  });
});
