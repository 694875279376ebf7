// doctor --probe: the live probe of `vnodes provider probe` (src/provider/probe.ts, reused as it is) as the fact
// behind check probe.live. It is loaded only when the check asks for it, that is once node.ready has passed (the
// engine judges requirements before it reads facts, and doctor does not preload this one). The probe's own finally
// deletes its pod, Ctrl-C included; its Kubernetes and ARM calls count in the run's.
import type { ProbeFact } from '../checks/doctor-facts.js';
import type { FactGetter } from '../checks/facts.js';
import type { Deps } from '../deps.js';
import { ADDON_NODE } from '../checks/stack/detect.js';
import type { DoctorTarget } from './loaders.js';

const NAMESPACE = 'default';

/** The probe as doctor runs it: --probe, with or without --dry-run. */
export function probeLoader(target: DoctorTarget, deps: Pick<Deps, 'azure' | 'reporter' | 'env' | 'signal'>) {
  return async (get: FactGetter): Promise<ProbeFact> => {
    const { DEFAULT_PROBE_IMAGE, DEFAULT_PROBE_REGISTRY, probePod } = await import('../provider/probe-spec.js');
    const spec = {
      namespace: NAMESPACE,
      nodeName: ADDON_NODE,
      image: target.probeImage ?? DEFAULT_PROBE_IMAGE,
      registry: target.probeRegistry ?? DEFAULT_PROBE_REGISTRY,
    };
    if (target.probeDryRun) {
      const name = 'vnodes-probe-<run-id>';
      return {
        pod: `${NAMESPACE}/${name}`,
        node: spec.nodeName,
        image: spec.image,
        registry: spec.registry,
        steps: [],
        wouldCreate: probePod({ ...spec, name, runId: '<run-id>' }),
      };
    }
    const [{ containerGroupsPort }, { openCluster }, { probeKube }, { runProbe }] = await Promise.all([
      import('../azure/container-groups.js'),
      import('../cluster/kube.js'),
      import('../kube/probe-pods.js'),
      import('../provider/probe.js'),
    ]);
    const azure = await deps.azure();
    const cluster = await get('cluster');
    const access = await openCluster(target, azure, cluster, deps.env);
    const [kube, aci] = await Promise.all([probeKube(access.config, access.calls), containerGroupsPort(azure)]);
    try {
      const r = await deps.reporter.step(`Probing the data plane from ${spec.nodeName}`, () =>
        runProbe(
          {
            ...spec,
            resourceGroup: cluster.nodeResourceGroup ?? '',
            timeoutMs: 180_000,
            cleanupTimeoutMs: 120_000,
            pollMs: 500,
          },
          { kube, aci, reporter: deps.reporter, signal: deps.signal },
        ),
      );
      return {
        pod: r.pod,
        node: r.node,
        image: r.image,
        registry: r.registry,
        ...(r.containerGroup ? { containerGroup: r.containerGroup } : {}),
        steps: r.steps,
      };
    } finally {
      kube.close();
    }
  };
}
