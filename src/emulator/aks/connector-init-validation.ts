// The connector's init-validation container (azure-aci cmd/init-container): it retries SetVNETConfig (up to 50 times,
// a minute apart) and, when that keeps failing, exits non-zero after the Warning event InitFailed "VNet config setup
// failed" (research azure-aci.md; pain.md P32). A cluster tagged `vnodes-emulator-connector-init-error` gets that
// failure with the tag's text as the container's last log line: the pod stays Pending in Init:CrashLoopBackOff and the
// connector container never starts, as kubectl shows it.
import { jsonObject } from '../arm/context.js';
import type { Json, StoredResource } from '../arm/store.js';
import { CONNECTOR, INIT_IMAGE, INIT_VALIDATION, rfc3339 } from './connector-objects.js';

const INIT_ERROR_TAG = 'vnodes-emulator-connector-init-error';

/** The injected init-validation failure of a cluster's connector, if its scenario asks for one. */
export function injectedInitError(cluster: StoredResource): string | undefined {
  const value = jsonObject(cluster.body.tags)?.[INIT_ERROR_TAG];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The pod status while init-validation crash-loops: Pending, not Initialized, the connector waiting. */
export function podInitFailing(input: {
  startedMs: number;
  restarts: number;
  lastRun: { startedMs: number; finishedMs: number };
  message: string;
  hostIP: string;
}): Json {
  const at = rfc3339(input.startedMs);
  const cond = (type: string, status: string, extra: Json = {}) => ({
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: at,
    ...extra,
  });
  const pending = {
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: [${INIT_VALIDATION}]`,
  };
  return {
    phase: 'Pending',
    conditions: [
      cond('Initialized', 'False', pending),
      cond('Ready', 'False', {
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${CONNECTOR}]`,
      }),
      cond('ContainersReady', 'False', {
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${CONNECTOR}]`,
      }),
      cond('PodScheduled', 'True'),
    ],
    hostIP: input.hostIP,
    startTime: at,
    qosClass: 'Burstable',
    initContainerStatuses: [
      {
        name: INIT_VALIDATION,
        image: INIT_IMAGE,
        imageID: `${INIT_IMAGE.replace(/:.*/, '')}@sha256:${'1'.repeat(64)}`,
        ready: false,
        restartCount: input.restarts,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 5m0s restarting failed container=${INIT_VALIDATION}`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            message: input.message,
            startedAt: rfc3339(input.lastRun.startedMs),
            finishedAt: rfc3339(input.lastRun.finishedMs),
          },
        },
      },
    ],
    containerStatuses: [
      {
        name: CONNECTOR,
        image: 'mcr.microsoft.com/oss/virtual-kubelet/virtual-kubelet:1.6.2',
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'PodInitializing' } },
      },
    ],
  };
}
