import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { eventLine, type ProviderEvent } from '../provider/events.js';
import type { ProviderRunOptions } from '../provider/setup.js';
import { parseDuration } from '../util/duration.js';
import { clusterSelection, kubeOptions, kubeSelection } from './cluster-options.js';
import type { StreamingCommand } from './types.js';

/** A provider step as the CLI streams it: `event` (the stable name), `type` (the CLI's), and when. */
type RunEvent = ProviderEvent & { type: ProviderEvent['event']; time: string };

function positive(flag: string, value: unknown, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(`${flag} "${String(value)}" is not a number from 1 to ${max}.`, `Pass e.g. ${flag} 20.`);
  return n;
}

/** `vnodes provider run --foreground`: the embedded virtual-kubelet ACI provider, in this terminal. */
export const command: StreamingCommand<ProviderRunOptions, RunEvent> = {
  streaming: true,
  configure(cmd: Command) {
    kubeOptions(cmd)
      .option('--foreground', 'run in this terminal until Ctrl-C (the only mode there is)')
      .option(
        '--cluster <name>',
        'the AKS cluster (with -g): its node resource group, region, add-on subnet and credentials',
      )
      .option('-g, --resource-group <name>', "the cluster's resource group")
      .option('--aci-resource-group <name>', 'where container groups go (default: the cluster node resource group)')
      .option('--region <name>', 'ACI region (default: the cluster location)')
      .option('--subnet <name|id>', "ACI subnet: a name in the cluster VNet or a resource id (default: the add-on's)")
      .option('--node-name <name>', 'node to register (default vnodes-debug-<user>; never virtual-node-aci-linux)')
      .option('--sync-interval <d>', 'how often status is synced (one ARM list per interval)', '5s')
      .option('--refresh-interval <d>', 'how often a steady group is read anyway', '60s')
      .option('--arm-rate <n>', 'ARM requests per second, shared by all pods', '20')
      .option('--arm-concurrency <n>', 'ARM requests in flight at once', '16')
      .option('--dry-run', 'translate and log; create nothing (no node either)', false)
      .option('--once', 'reconcile once and exit (keeps the node and groups)', false)
      .option('--keep', 'on exit, leave the node and the container groups', false)
      .addHelpText(
        'after',
        '\nCtrl-C drains: it deletes the container groups of its node and the node, then exits 130 (--keep leaves them).\n-o json prints one JSON object per step (NDJSON) with a stable `event` field.\n\nExample:\n  vnodes provider run --foreground --cluster aks-demo -g rg-aks\n  kubectl run hello --image nginx --overrides \'{"spec":{"nodeName":"vnodes-debug-\'$USER\'","tolerations":[{"operator":"Exists"}]}}\'',
      );
  },
  parse(_args, raw) {
    if ((raw.cluster === undefined) !== (raw.resourceGroup === undefined))
      throw new UsageError(
        '--cluster and -g go together.',
        'Pass both, or neither (then --kubeconfig/--context, --aci-resource-group and --region).',
      );
    const syncIntervalMs = parseDuration(String(raw.syncInterval), '--sync-interval');
    const refreshMs = parseDuration(String(raw.refreshInterval), '--refresh-interval');
    if (syncIntervalMs < 50)
      throw new UsageError(
        `--sync-interval ${String(raw.syncInterval)} is too short.`,
        'Use 1s or more against Azure.',
      );
    if (refreshMs < syncIntervalMs)
      throw new UsageError(
        '--refresh-interval is shorter than --sync-interval.',
        'Make it a multiple of the sync interval, e.g. 60s.',
      );
    return {
      // Azure's naming rules, checked before any call.
      ...(raw.cluster !== undefined ? clusterSelection(raw) : {}),
      ...kubeSelection(raw),
      ...(raw.aciResourceGroup !== undefined ? { aciResourceGroup: String(raw.aciResourceGroup) } : {}),
      ...(raw.region !== undefined ? { region: String(raw.region) } : {}),
      ...(raw.subnet !== undefined ? { subnet: String(raw.subnet) } : {}),
      ...(raw.nodeName !== undefined ? { nodeName: String(raw.nodeName) } : {}),
      syncIntervalMs,
      refreshMs,
      dryRun: Boolean(raw.dryRun),
      once: Boolean(raw.once),
      keep: Boolean(raw.keep),
      armRate: positive('--arm-rate', raw.armRate, 10_000),
      armConcurrency: positive('--arm-concurrency', raw.armConcurrency, 1000),
    };
  },
  async run(options, deps, sink) {
    const [{ setupProvider }, { runProvider }] = await Promise.all([
      import('../provider/setup.js'),
      import('../provider/run.js'),
    ]);
    const { cfg, ports } = await setupProvider(options, deps);
    const out = { emit: (e: ProviderEvent) => sink.emit({ type: e.event, time: new Date().toISOString(), ...e }) };
    try {
      await runProvider(cfg, ports, out, deps.signal);
    } finally {
      ports.kube.close();
    }
    // Ctrl-C is how a foreground provider ends: drained, and said with 130.
    return deps.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  },
  renderEvent(e) {
    const line = eventLine(e);
    return line ? { stdout: `${e.time.slice(11, 19)} ${line}\n` } : {};
  },
};
