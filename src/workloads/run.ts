// `vnodes lint` as a plain function: files, directories and stdin, or the workloads on a cluster, through one
// session into a sink the command chose (so the core never renders).
import type { Deps } from '../deps.js';
import type { ListedKind, NamespaceScope } from '../kube/workloads.js';
import { lintInputs } from './inputs.js';
import type { LintOptions } from './lint.js';
import type { LintWorkers } from './parallel.js';
import { LintSession, type LintCounts, type LintSink } from './session.js';

/** Where live objects come from: the AKS cluster (credentials through ARM unless a kubeconfig context matches), or a kubeconfig context alone. */
export interface LiveSource {
  cluster?: string;
  resourceGroup?: string;
  kubeconfig?: string;
  context?: string;
  scope: NamespaceScope;
}

/** Options of one run: inputs (paths, `-`) or a live source. */
export interface LintRunOptions extends LintOptions {
  inputs: string[];
  live?: LiveSource;
}

/** What the run saw; the findings themselves went to the sink. */
export interface LintRunResult {
  counts: LintCounts;
  /** Live mode: each list call and how many objects it returned. */
  listed?: ListedKind[];
  /** Live mode: Pods, ReplicaSets and Jobs left to the controller that owns them. */
  owned?: number;
}

/** Pods, ReplicaSets and Jobs that a controller owns are linted through that controller's template, once. */
const ownedByController = (o: Record<string, unknown>): boolean => {
  const refs = (o.metadata as { ownerReferences?: { controller?: boolean; kind?: string }[] } | undefined)
    ?.ownerReferences;
  return (
    Array.isArray(refs) &&
    refs.some(
      (r) =>
        r.controller &&
        ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(r.kind ?? ''),
    )
  );
};

/**
 * Runs lint; each document's findings reach `sink` as soon as it is linted (in input order). With `workers`, a large
 * run is linted in worker threads (parallel.ts).
 */
export async function runLint(
  options: LintRunOptions,
  deps: Pick<Deps, 'cwd' | 'stdin' | 'env' | 'azure' | 'reporter'>,
  sink: LintSink,
  workers?: LintWorkers,
): Promise<LintRunResult> {
  const session = new LintSession(options, sink);
  if (!options.live) {
    const { LintFeed, workerCount } = await import('./parallel.js');
    const count = workerCount(deps.env); // checked even where there are no workers to start
    const feed = new LintFeed(
      session,
      options,
      workers && {
        ...workers,
        count,
        started: (n) => deps.reporter.debug(`lint: ${n} worker thread(s) beside the main thread for a large input`),
      },
    );
    try {
      await lintInputs(options.inputs, feed, { cwd: deps.cwd, stdin: deps.stdin });
      await feed.drain();
    } finally {
      feed.close();
    }
    return { counts: session.finish() };
  }
  const live = options.live;
  const { listLiveObjects, kubeconfigFromFlags } = await import('../kube/workloads.js');
  let config;
  if (live.cluster && live.resourceGroup) {
    const [{ getCluster }, { connectToCluster }] = await Promise.all([
      import('../azure/clusters.js'),
      import('../kube/connect.js'),
    ]);
    const cluster = await getCluster(await deps.azure(), live.resourceGroup, live.cluster);
    const access = await connectToCluster({
      azure: await deps.azure(),
      resourceGroup: live.resourceGroup,
      clusterName: live.cluster,
      cluster,
      env: deps.env,
      ...(live.kubeconfig ? { kubeconfig: live.kubeconfig } : {}),
      ...(live.context ? { context: live.context } : {}),
    });
    config = access.config;
  } else config = await kubeconfigFromFlags({ ...live, env: deps.env });
  const scope = 'all' in live.scope ? 'all namespaces' : `namespace ${live.scope.namespace}`;
  const { objects, listed } = await deps.reporter.step(`Reading workloads (${scope})`, () =>
    listLiveObjects(config, live.scope),
  );
  const mine = objects.filter((o) => !ownedByController(o));
  session.addObjects(mine);
  return { counts: session.finish(), listed, owned: objects.length - mine.length };
}
