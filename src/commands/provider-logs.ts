import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import { clusterSelection, namespaceOption } from './cluster-options.js';
import type { CommandModule } from './types.js';

/** Options of `provider logs`. */
export interface ProviderLogsOptions {
  namespace: string;
  pod: string;
  container?: string;
  follow: boolean;
  sinceMs?: number;
  tail?: number;
  timestamps: boolean;
  cluster?: string;
  resourceGroup?: string;
  aciResourceGroup?: string;
  pollMs: number;
}

/** `vnodes provider logs POD`: container logs through ARM. */
export const command: CommandModule<ProviderLogsOptions, undefined> = {
  configure(cmd: Command) {
    cmd
      .argument('<pod>', 'the pod (NAME or NAMESPACE/NAME)')
      .option('-n, --namespace <ns>', 'the pod namespace', 'default')
      .option('-c, --container <name>', 'the container (default: the only one)')
      .option('-f, --follow', 'keep printing new lines (polls ARM; no line twice)', false)
      .option('--since <d>', 'only lines from the last D (e.g. 10m)')
      .option('--tail <n>', 'only the last N lines')
      .option('--timestamps', "prefix each line with ACI's timestamp", false)
      .option('--poll-interval <d>', 'how often -f asks ARM', '2s')
      .option('--cluster <name>', 'the AKS cluster (with -g): its node resource group holds the groups')
      .option('-g, --resource-group <name>', "the cluster's resource group")
      .option('--aci-resource-group <name>', 'the resource group of the container groups');
  },
  parse(args, raw) {
    const [ns, name] = args[0]!.includes('/') ? args[0]!.split('/', 2) : [namespaceOption(raw.namespace), args[0]!];
    if (!raw.aciResourceGroup && !(raw.cluster && raw.resourceGroup))
      throw new UsageError(
        'provider logs needs to know where the container groups are.',
        'Pass --cluster C -g RG, or --aci-resource-group RG.',
      );
    const tail = raw.tail === undefined ? undefined : Number(raw.tail);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
      throw new UsageError(`--tail "${String(raw.tail)}" is not a whole number.`, 'Pass e.g. --tail 100.');
    return {
      namespace: ns!,
      pod: name!,
      ...(raw.container !== undefined ? { container: String(raw.container) } : {}),
      follow: Boolean(raw.follow),
      ...(raw.since !== undefined ? { sinceMs: parseDuration(String(raw.since), '--since') } : {}),
      ...(tail !== undefined ? { tail } : {}),
      timestamps: Boolean(raw.timestamps),
      // Azure's naming rules, checked before any call.
      ...(raw.cluster !== undefined ? clusterSelection(raw) : {}),
      ...(raw.aciResourceGroup !== undefined ? { aciResourceGroup: String(raw.aciResourceGroup) } : {}),
      pollMs: parseDuration(String(raw.pollInterval), '--poll-interval'),
    };
  },
  async run(o, deps) {
    const [{ containerGroupsPort }, { findPodGroup, newLines, since, splitLine }, { readCluster }] = await Promise.all([
      import('../azure/container-groups.js'),
      import('../provider/logs.js'),
      import('../network-features/read-facts.js'),
    ]);
    const azure = await deps.azure();
    const rg = o.aciResourceGroup ?? (await readCluster(deps, o.cluster!, o.resourceGroup!)).nodeResourceGroup!;
    const aci = await containerGroupsPort(azure);
    const group = await findPodGroup(aci, rg, o.namespace, o.pod);
    const names = group.containers.map((c) => c.name);
    const container = o.container ?? (names.length === 1 ? names[0]! : undefined);
    if (container === undefined || !names.includes(container))
      throw new UsageError(
        o.container
          ? `Container ${o.container} is not in pod ${o.namespace}/${o.pod}.`
          : `Pod ${o.namespace}/${o.pod} has ${names.length} containers.`,
        `Pick one with -c: ${names.join(', ')}.`,
      );
    const json = deps.globals.output === 'json';
    const sinceMs = o.sinceMs === undefined ? undefined : Date.now() - o.sinceMs;
    const print = (lines: string[]): void => {
      for (const line of lines) {
        const { at, text } = splitLine(line);
        if (json)
          deps.stdout.write(
            `${JSON.stringify({ schemaVersion: 1, pod: `${o.namespace}/${o.pod}`, container, ...(at !== undefined ? { time: new Date(at).toISOString() } : {}), line: text })}\n`,
          );
        else deps.stdout.write(`${o.timestamps ? line : text}\n`);
      }
    };
    const state = { atLast: 0, printed: 0 };
    const fetch = () =>
      aci.logs(rg, group.name!, container, { timestamps: true, ...(o.tail !== undefined ? { tail: o.tail } : {}) });
    print(since(newLines(await fetch(), state), sinceMs));
    while (o.follow && !deps.signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.pollMs);
        deps.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      if (deps.signal.aborted) break;
      const content = await aci.logs(rg, group.name!, container, { timestamps: true });
      print(newLines(content, state));
    }
    return undefined;
  },
};
