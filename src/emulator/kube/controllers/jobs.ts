// Job → Pods, as the job controller does: up to `parallelism` pods at a time until `completions` have succeeded
// (condition Complete), or until more than `backoffLimit` have failed (condition Failed, BackoffLimitExceeded, and
// the active pods are deleted). Kubernetes 1.31+ sets SuccessCriteriaMet / FailureTarget first; so does this.
import { rfc3339, withCondition } from '../kinds.js';
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';
import { createPod, deletePod, int, obj, phaseOf, podFromTemplate, report, terminating } from './owned.js';

const JOB = 'job-controller';
import { ownedPods } from './replicasets.js';

const finished = (job: KubeObject): boolean =>
  (obj(job.status).conditions as { type: string; status: string }[] | undefined)?.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  ) ?? false;

export function reconcileJob(store: KubeStore, job: KubeObject): void {
  if (terminating(job)) return;
  const spec = obj(job.spec);
  const completions = int(spec.completions, 1);
  const parallelism = int(spec.parallelism, 1);
  const backoffLimit = int(spec.backoffLimit, 6);
  const pods = ownedPods(store, job);
  const succeeded = pods.filter((p) => phaseOf(p) === 'Succeeded').length;
  const failed = pods.filter((p) => phaseOf(p) === 'Failed').length;
  let active = pods.filter((p) => !terminating(p) && !['Succeeded', 'Failed'].includes(phaseOf(p)));
  const status = obj(job.status);
  const done = finished(job);
  const complete = succeeded >= completions;
  const failedOut = failed > backoffLimit;
  if (!done && !complete && !failedOut && spec.suspend !== true) {
    const want = Math.min(parallelism, completions - succeeded) - active.length;
    for (let n = 0; n < want; n++) {
      createPod(store, job, JOB, podFromTemplate(job, spec.template, { generateName: `${job.metadata.name}-` }));
    }
  }
  if (failedOut) {
    for (const p of active) deletePod(store, job, JOB, p);
  }
  active = ownedPods(store, job).filter((p) => !terminating(p) && !['Succeeded', 'Failed'].includes(phaseOf(p)));
  let conditions: unknown = status.conditions;
  const now = rfc3339(new Date());
  // Kubernetes 1.31+ sets the interim condition (SuccessCriteriaMet, FailureTarget) with the terminal one.
  const end = (types: [string, string], reason: string, message: string) => {
    for (const type of types) conditions = withCondition(conditions, { type, status: 'True', reason, message });
  };
  if (!done && complete) report(store, job, JOB, 'Completed', 'Job completed');
  if (!done && failedOut)
    report(store, job, JOB, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  if (!done && complete)
    end(['SuccessCriteriaMet', 'Complete'], 'CompletionsReached', 'Reached expected number of succeeded pods');
  else if (!done && failedOut)
    end(['FailureTarget', 'Failed'], 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  const ended = !done && (complete || failedOut);
  store.update(
    'jobs',
    {
      ...job,
      status: {
        ...(conditions === undefined ? {} : { conditions }),
        startTime: status.startTime ?? now,
        ...(complete && (ended || status.completionTime !== undefined)
          ? { completionTime: status.completionTime ?? now }
          : {}),
        active: active.length,
        ready: active.filter((p) =>
          (obj(p.status).conditions as { type: string; status: string }[] | undefined)?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        ).length,
        succeeded,
        failed,
        terminating: 0,
        uncountedTerminatedPods: {},
      },
    },
    { subresource: 'status' },
  );
}
