import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';

/** The node AKS registers for the add-on. */
export const VIRTUAL_NODE_NAME = 'virtual-node-aci-linux';
/** Label selector of the add-on's connector pods in kube-system. */
export const CONNECTOR_SELECTOR = 'app=aci-connector-linux';

/** What the virtual node looks like. */
export interface NodeHealth {
  present: boolean;
  ready: boolean;
  reason?: string;
  message?: string;
  lastHeartbeat?: string;
}

/** What the connector pods look like, summarised over all of them. */
export interface ConnectorHealth {
  pods: number;
  running: boolean;
  /** e.g. CrashLoopBackOff, ImagePullBackOff, ContainerCreating. */
  waitingReason?: string;
  restarts: number;
  /** The last termination or waiting message: usually the real error. */
  message?: string;
}

/** Reads the Ready condition of a node (or its absence). */
export function nodeHealth(node: V1Node | undefined): NodeHealth {
  if (!node) return { present: false, ready: false };
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const heartbeat = ready?.lastHeartbeatTime as unknown;
  return {
    present: true,
    ready: ready?.status === 'True',
    ...(ready?.reason ? { reason: ready.reason } : {}),
    ...(ready?.message ? { message: ready.message } : {}),
    ...(heartbeat ? { lastHeartbeat: heartbeat instanceof Date ? heartbeat.toISOString() : String(heartbeat) } : {}),
  };
}

/** Running means every connector pod is Running with all containers ready. */
export function connectorHealth(pods: readonly V1Pod[], events: readonly CoreV1Event[] = []): ConnectorHealth {
  let restarts = 0;
  let waitingReason: string | undefined;
  let message: string | undefined;
  let running = pods.length > 0;
  for (const pod of pods) {
    const statuses = pod.status?.containerStatuses ?? [];
    if (pod.status?.phase !== 'Running' || statuses.length === 0 || statuses.some((s) => !s.ready)) running = false;
    for (const s of statuses) {
      restarts += s.restartCount ?? 0;
      waitingReason ??= s.state?.waiting?.reason;
      // The last run's termination message is the connector's own error; a waiting message is only kubelet's
      // "back-off restarting failed container".
      message ??= s.lastState?.terminated?.message ?? s.state?.terminated?.message;
    }
  }
  const warning = [...events].reverse().find((e) => e.type === 'Warning' && e.message && e.reason !== 'BackOff');
  message ??= warning?.message;
  for (const pod of pods) for (const s of pod.status?.containerStatuses ?? []) message ??= s.state?.waiting?.message;
  return {
    pods: pods.length,
    running,
    restarts,
    ...(waitingReason ? { waitingReason } : {}),
    ...(message ? { message } : {}),
  };
}
