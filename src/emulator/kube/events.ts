import { randomBytes } from 'node:crypto';
import { rfc3339 } from './kinds.js';
import type { KubeObject } from './resources.js';
import type { KubeStore } from './store.js';

/** What an emulated component reports about an object, as `kubectl describe` shows it under Events. */
export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The reporting component ("default-scheduler", "virtual-kubelet"). */
  component: string;
  /** Node the component runs on, if any (source.host). */
  host?: string;
}

/**
 * Records a core/v1 Event about `about` in its namespace ("default" for cluster-scoped objects, as kubelets and
 * controllers do for nodes), named `<object>.<hex>` like client-go's recorder.
 */
export const recordEvent = (store: KubeStore, about: KubeObject, e: EventRecord): KubeObject => {
  const now = rfc3339(new Date());
  const namespace = about.metadata.namespace ?? 'default';
  return store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      namespace: about.metadata.namespace,
      name: about.metadata.name,
      uid: about.metadata.uid,
      resourceVersion: about.metadata.resourceVersion,
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    source: e.host === undefined ? { component: e.component } : { component: e.component, host: e.host },
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
};
