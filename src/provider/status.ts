// ACI container group (with instanceView, from a GET) → pod status, pure. Beats azure-aci where research/azure-aci.md
// §4.3 and §8.1 show gaps: real exit codes (Completed only for 0), waiting reasons from ACI events, init container
// statuses, ContainersReady, podIPs/hostIPs, and a pod that is Pending with a reason rather than silently stuck.
import type {
  Container,
  ContainerGroup,
  ContainerState,
  Event as AciEvent,
  InitContainerDefinition,
} from '@azure/arm-containerinstance';
import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

/** What the mapping needs besides the group and the pod. */
export interface StatusContext {
  /** The node's InternalIP, reported as hostIP. */
  hostIP?: string;
  /** RFC 3339 time used for transitions that happen now. */
  now: string;
}

type Instance = NonNullable<Container['instanceView']>;
const iso = (d: Date | string | undefined): string | undefined =>
  d === undefined ? undefined : (typeof d === 'string' ? new Date(d) : d).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A waiting reason from ACI's words (state, detailStatus and the container's latest events). */
export function waitingReason(instance: Instance | undefined): { reason: string; message?: string } {
  const events = [...(instance?.events ?? [])].sort((a, b) =>
    String(iso(a.lastTimestamp)).localeCompare(String(iso(b.lastTimestamp))),
  );
  const last = events.at(-1);
  const detail = instance?.currentState?.detailStatus ?? '';
  // ACI puts kubelet's own reason first when it has one ("CrashLoopBackOff: Back-off restarting failed").
  const named =
    /^(ImagePullBackOff|ErrImagePull|CrashLoopBackOff|ContainerCreating|PodInitializing|CreateContainerConfigError|InvalidImageName)\b:?\s*(.*)$/.exec(
      detail,
    );
  if (named) return { reason: named[1]!, ...(named[2] ? { message: named[2] } : {}) };
  const text = `${detail} ${last?.message ?? ''}`;
  if (
    /InaccessibleImage|ErrImagePull|Failed to pull|pull access denied|manifest unknown|not found|unauthorized/i.test(
      text,
    ) &&
    /pull|image/i.test(text)
  )
    return {
      reason: (instance?.restartCount ?? 0) > 0 || (last?.count ?? 1) > 1 ? 'ImagePullBackOff' : 'ErrImagePull',
      message: (last?.message ?? detail) || undefined,
    };
  if (instance?.previousState?.state === 'Terminated' && (instance.restartCount ?? 0) > 0)
    return { reason: 'CrashLoopBackOff', ...(detail ? { message: detail } : {}) };
  return { reason: 'ContainerCreating', ...(detail ? { message: detail } : {}) };
}

/** ACI's container state as Kubernetes': Terminated keeps the exit code; Completed only for 0. */
function containerState(state: ContainerState | undefined, instance?: Instance): V1ContainerState {
  switch (state?.state) {
    case 'Running':
      return { running: { startedAt: iso(state.startTime) as unknown as Date } };
    case 'Terminated':
    case 'Succeeded':
    case 'Failed': {
      const exitCode = state.exitCode ?? (state.state === 'Succeeded' ? 0 : 1);
      const oom = /OOM/i.test(state.detailStatus ?? '');
      return {
        terminated: {
          exitCode,
          reason: oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
          ...(state.detailStatus ? { message: state.detailStatus } : {}),
          ...(state.startTime ? { startedAt: iso(state.startTime) as unknown as Date } : {}),
          ...(state.finishTime ? { finishedAt: iso(state.finishTime) as unknown as Date } : {}),
        },
      };
    }
    default: {
      const w = waitingReason(instance ?? (state ? { currentState: state } : undefined));
      return { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
    }
  }
}

function status(
  c: Container | InitContainerDefinition,
  specImage: string | undefined,
  cgId: string,
  readyWhenRunning: boolean,
): V1ContainerStatus {
  const instance = c.instanceView as Instance | undefined;
  const state = containerState(instance?.currentState, instance);
  const last = instance?.previousState?.state ? containerState(instance.previousState) : {};
  const running = state.running !== undefined;
  return {
    name: c.name,
    image: specImage ?? c.image ?? '',
    imageID: '',
    containerID: `aci://${cgId}/containers/${c.name}`,
    ready: running && readyWhenRunning,
    started: running,
    restartCount: instance?.restartCount ?? 0,
    state,
    lastState: last.terminated ? last : {},
  };
}

/** Phase from ACI's group state, provisioning state first (a group that failed to provision never ran). */
function podPhase(group: ContainerGroup): V1PodStatus['phase'] {
  const view = group.instanceView?.state;
  if (view === 'Running') return 'Running';
  if (view === 'Succeeded') return 'Succeeded';
  if (view === 'Failed' || view === 'Stopped') return 'Failed';
  if (group.provisioningState === 'Canceled') return 'Failed';
  return 'Pending';
}

/** Keeps a condition's lastTransitionTime when its status did not change. */
function condition(
  type: string,
  ok: boolean,
  previous: V1PodCondition[] | undefined,
  now: string,
  reason?: string,
): V1PodCondition {
  const before = previous?.find((c) => c.type === type);
  const value = ok ? 'True' : 'False';
  return {
    type,
    status: value,
    lastTransitionTime: (before?.status === value && before.lastTransitionTime
      ? before.lastTransitionTime
      : now) as unknown as Date,
    ...(!ok && reason ? { reason } : {}),
  };
}

/** The pod status a group implies. `group` should come from a GET: a list entry carries no instanceView. */
export function podStatusOf(group: ContainerGroup, pod: V1Pod, ctx: StatusContext): V1PodStatus {
  const prev = pod.status;
  const phase = podPhase(group);
  const cgId = group.id ?? group.name ?? '';
  const images = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c.image]));
  const initImages = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c.image]));
  const containerStatuses = group.containers.map((c) => status(c, images.get(c.name), cgId, true));
  const initContainerStatuses = (group.initContainers ?? []).map((c) => {
    const s = status(c, initImages.get(c.name), cgId, false);
    return { ...s, ready: s.state?.terminated?.exitCode === 0 };
  });
  const initialized = initContainerStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const allReady = containerStatuses.length > 0 && containerStatuses.every((s) => s.ready);
  const notReady = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady';
  const conditions = [
    condition('PodScheduled', true, prev?.conditions, ctx.now),
    condition('Initialized', initialized, prev?.conditions, ctx.now, 'ContainersNotInitialized'),
    condition('ContainersReady', allReady, prev?.conditions, ctx.now, notReady),
    condition('Ready', allReady, prev?.conditions, ctx.now, notReady),
  ];
  const ip = group.ipAddress?.ip;
  const started = containerStatuses
    .map((s) => s.state?.running?.startedAt ?? s.state?.terminated?.startedAt)
    .find(Boolean);
  const failedReason =
    phase === 'Failed' && group.instanceView?.state === 'Stopped'
      ? { reason: 'Stopped', message: 'The container group was stopped in ACI.' }
      : {};
  return {
    phase,
    ...failedReason,
    conditions,
    ...(ctx.hostIP ? { hostIP: ctx.hostIP, hostIPs: [{ ip: ctx.hostIP }] } : {}),
    ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
    startTime: (prev?.startTime ?? started ?? ctx.now) as unknown as Date,
    ...(initContainerStatuses.length ? { initContainerStatuses } : {}),
    containerStatuses,
    ...(prev?.qosClass ? { qosClass: prev.qosClass } : {}),
  };
}

/** Status for a pod the provider will not run: ProviderFailed with the rule and field that rejected it. */
export function rejectedStatus(pod: V1Pod, message: string, now: string): V1PodStatus {
  const phase = pod.spec?.restartPolicy === 'Never' ? 'Failed' : 'Pending';
  return {
    ...(pod.status ?? {}),
    phase,
    reason: 'ProviderFailed',
    message,
    conditions: [condition('PodScheduled', true, pod.status?.conditions, now)],
    startTime: (pod.status?.startTime ?? now) as unknown as Date,
  };
}

/** Status while the pod waits for the group (created, not yet provisioned) or for a ConfigMap/Secret. */
export function waitingStatus(pod: V1Pod, reason: string, message: string | undefined, now: string): V1PodStatus {
  const containerStatuses = (pod.spec?.containers ?? []).map<V1ContainerStatus>((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  }));
  return {
    ...(pod.status ?? {}),
    phase: 'Pending',
    conditions: [
      condition('PodScheduled', true, pod.status?.conditions, now),
      condition(
        'Initialized',
        !pod.spec?.initContainers?.length,
        pod.status?.conditions,
        now,
        'ContainersNotInitialized',
      ),
      condition('ContainersReady', false, pod.status?.conditions, now, 'ContainersNotReady'),
      condition('Ready', false, pod.status?.conditions, now, 'ContainersNotReady'),
    ],
    startTime: (pod.status?.startTime ?? now) as unknown as Date,
    containerStatuses,
  };
}

/** One ACI event on the group (container undefined) or on a container. */
export interface GroupEvent {
  container?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** Stable identity of the event across reads: a repeat keeps it and raises count. */
  key: string;
}

const toEvent = (e: AciEvent, container?: string): GroupEvent => ({
  ...(container ? { container } : {}),
  type: e.type === 'Normal' ? 'Normal' : 'Warning',
  reason: e.name ?? 'Unknown',
  message: e.message ?? '',
  count: e.count ?? 1,
  ...(e.firstTimestamp ? { firstTimestamp: iso(e.firstTimestamp)! } : {}),
  ...(e.lastTimestamp ? { lastTimestamp: iso(e.lastTimestamp)! } : {}),
  key: `${container ?? ''}|${e.name ?? ''}|${iso(e.firstTimestamp) ?? ''}|${e.message ?? ''}`,
});

/** Every event of a group and its containers. */
export function groupEvents(group: ContainerGroup): GroupEvent[] {
  return [
    ...(group.instanceView?.events ?? []).map((e) => toEvent(e)),
    ...[...(group.initContainers ?? []), ...group.containers].flatMap((c) =>
      (c.instanceView?.events ?? []).map((e) => toEvent(e, c.name)),
    ),
  ];
}

/** Events not yet reported, or reported with a lower count; `seen` maps key → count and is updated. */
export function newEvents(events: GroupEvent[], seen: Map<string, number>): GroupEvent[] {
  const fresh = events.filter((e) => (seen.get(e.key) ?? 0) < e.count);
  for (const e of fresh) seen.set(e.key, e.count);
  return fresh;
}

/** Status fields compared to decide whether a write is needed (times kept stable by `condition`). */
export const sameStatus = (a: V1PodStatus | undefined, b: V1PodStatus): boolean =>
  canonical(pick(a)) === canonical(pick(b));

const pick = (s: V1PodStatus | undefined): unknown =>
  s && {
    phase: s.phase,
    reason: s.reason,
    message: s.message,
    podIP: s.podIP,
    hostIP: s.hostIP,
    conditions: s.conditions?.map((c) => [c.type, c.status, c.reason]),
    containerStatuses: s.containerStatuses,
    initContainerStatuses: s.initContainerStatuses,
  };

/** JSON with sorted keys, no undefined, and times to the second (the client reads them back as Dates). */
export function canonical(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (v instanceof Date) return iso(v);
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:]+(\.\d+)?Z$/.test(v)) return iso(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, walk((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(walk(value)) ?? 'undefined';
}
