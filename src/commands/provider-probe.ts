import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { ProbeResult } from '../provider/probe.js';
import { STEP_TITLES } from '../provider/probe-results.js';
import { DEFAULT_PROBE_IMAGE, DEFAULT_PROBE_REGISTRY, probePod } from '../provider/probe-spec.js';
import { parseDuration } from '../util/duration.js';
import { registryHost } from './parse.js';
import type { CommandModule } from './types.js';

interface Options {
  cluster: string;
  resourceGroup: string;
  nodeName: string;
  namespace: string;
  image: string;
  registry: string;
  timeoutMs: number;
  dryRun: boolean;
}

/** --dry-run: the pod the probe would create (its run id a placeholder), touching neither Azure nor the cluster. */
function dryRun(o: Options): ProbeResult {
  const name = 'vnodes-probe-<run-id>';
  const pod = probePod({
    name,
    namespace: o.namespace,
    nodeName: o.nodeName,
    image: o.image,
    registry: o.registry,
    runId: '<run-id>',
  });
  return {
    pod: `${o.namespace}/${name}`,
    node: o.nodeName,
    image: o.image,
    registry: o.registry,
    steps: [],
    ok: true,
    wouldCreate: pod,
  };
}

/** `vnodes provider probe`: a short-lived pod on the virtual node tests DNS, the API server and a registry from ACI. */
export const command: CommandModule<Options, ProbeResult> = {
  kind: 'provider-probe',
  cleansUp: true,
  configure(cmd: Command) {
    cmd
      .requiredOption('--cluster <name>', 'the AKS cluster')
      .requiredOption('-g, --resource-group <name>', "the cluster's resource group")
      .option('--node-name <name>', 'the virtual node', 'virtual-node-aci-linux')
      .option('-n, --namespace <ns>', 'where the probe pod goes', 'default')
      .option('--image <image>', 'the probe image (a shell, nslookup, wget)', DEFAULT_PROBE_IMAGE)
      .option('--registry <host>', 'the registry to reach from ACI', DEFAULT_PROBE_REGISTRY)
      .option('--timeout <d>', 'how long the probe may take before cleanup', '3m')
      .option('--dry-run', 'print the probe pod; create nothing', false);
  },
  parse(_args, raw) {
    return {
      cluster: String(raw.cluster),
      resourceGroup: String(raw.resourceGroup),
      nodeName: String(raw.nodeName),
      namespace: String(raw.namespace),
      image: String(raw.image),
      registry: registryHost('--registry', raw.registry),
      timeoutMs: parseDuration(String(raw.timeout), '--timeout'),
      dryRun: Boolean(raw.dryRun),
    };
  },
  async run(o, deps) {
    if (o.dryRun) return dryRun(o);
    const [{ containerGroupsPort }, { connectToCluster }, { probeKube }, { readCluster }, { runProbe }] =
      await Promise.all([
        import('../azure/container-groups.js'),
        import('../kube/connect.js'),
        import('../kube/probe-pods.js'),
        import('../network-features/read-facts.js'),
        import('../provider/probe.js'),
      ]);
    const azure = await deps.azure();
    const cluster = await readCluster(deps, o.cluster, o.resourceGroup);
    const access = await connectToCluster({
      env: deps.env,
      azure,
      resourceGroup: o.resourceGroup,
      clusterName: o.cluster,
      cluster,
    });
    const kube = await probeKube(access.config);
    try {
      return await runProbe(
        {
          namespace: o.namespace,
          nodeName: o.nodeName,
          image: o.image,
          registry: o.registry,
          resourceGroup: cluster.nodeResourceGroup!,
          timeoutMs: o.timeoutMs,
          cleanupTimeoutMs: 120_000,
          pollMs: 500,
        },
        { kube, aci: await containerGroupsPort(azure), reporter: deps.reporter, signal: deps.signal },
      );
    } finally {
      kube.close();
    }
  },
  exitCode: (r) => (r.ok ? ExitCode.ok : ExitCode.failed),
  render(r, style) {
    if (r.wouldCreate !== undefined)
      return `would create pod ${r.pod} on ${r.node}:\n${JSON.stringify(r.wouldCreate, null, 2)}\n`;
    const lines = [`probe ${r.pod} on ${r.node} (image ${r.image}, registry ${r.registry})`];
    for (const s of r.steps)
      lines.push(
        `${style.status(s.ok ? 'pass' : 'fail')} ${STEP_TITLES[s.step]}: ${s.evidence || (s.ok ? 'ok' : 'failed')}`,
      );
    return `${lines.join('\n')}\n`;
  },
};
