import type { Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { LintRunOptions, LintRunResult } from '../workloads/run.js';
import { clusterSelection, kubeSelection, namespaceOption } from './cluster-options.js';
import type { CommandModule } from './types.js';

/** Options of `vnodes lint`: a run, or --list. */
export type LintCommandOptions = (LintRunOptions & { strict: boolean; list?: false }) | { list: true };

/** What the run returns for the exit code (its output is already written). */
export type LintCommandResult = (LintRunResult & { strict: boolean }) | { rulesListed: true };

const words = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** `vnodes lint`: workload rules over manifests or live objects, streamed as table, JSON or SARIF. */
export const command: CommandModule<LintCommandOptions, LintCommandResult> = {
  kind: 'lint',
  formats: ['sarif'],
  streamed: true,
  configure(cmd: Command) {
    cmd
      .argument('[inputs...]', 'files, directories (recursive: .yaml, .yml, .json) or - for stdin')
      .option('--all', 'lint workloads that do not target the virtual node too, as if they did', false)
      .option('--strict', 'exit 1 on a warn too', false)
      .option('--info', 'also run the info rules (differences that rarely break a workload)', false)
      .option('--skip <rule...>', 'rule ids not to report (counted as ignored), e.g. --skip LNT-RES-001')
      .option('--stack <v1|v2>', 'lint for the AKS add-on (v1) or Virtual Nodes v2', 'v1')
      .option('--list', 'print the rules and exit', false)
      .option('--cluster <name>', 'live mode: the AKS cluster to read workloads from')
      .option('-g, --resource-group <name>', "the cluster's resource group")
      .option('--kubeconfig <path>', 'live mode: kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
      .option('--context <name>', 'live mode: kubeconfig context (without --cluster: that context alone)')
      .option('-n, --namespace <name>', 'live mode: the namespace to read (default: default)')
      .option('-A, --all-namespaces', 'live mode: read every namespace', false)
      .addHelpText(
        'after',
        '\nExamples:\n  vnodes lint k8s/\n  helm template my-chart | vnodes lint - -o sarif > lint.sarif\n  vnodes lint --cluster aks-demo -g rg-aks --all-namespaces\n\nSilence a rule on an object or its pod template: annotation vnodes.io/lint-ignore: "LNT-RES-001 # reason".\nExit codes: 0 no fail (--strict: no warn), 1 a fail, 2 bad input (a file that does not parse; the others are still linted).',
      );
  },
  parse(args, raw) {
    if (raw.list) return { list: true };
    const stack = String(raw.stack);
    if (stack !== 'v1' && stack !== 'v2')
      throw new UsageError(
        `--stack "${stack}" is not v1 or v2.`,
        'Pass --stack v1 (the AKS add-on, default) or --stack v2.',
      );
    const skip = words(raw.skip).map((s) => s.toUpperCase());
    return {
      stack,
      skip,
      all: Boolean(raw.all),
      strict: Boolean(raw.strict),
      info: Boolean(raw.info),
      inputs: args.flat(),
      ...liveOf(args.flat(), raw),
    };
  },
  async run(options, deps) {
    const [{ RULES }, { emptyCounts }, out, { createStyle }] = await Promise.all([
      import('../workloads/registry.js'),
      import('../workloads/session.js'),
      import('../output/lint.js'),
      import('../output/style.js'),
    ]);
    const style = createStyle(deps.terminal.color);
    if (options.list) {
      if (deps.globals.output === 'sarif')
        out
          .sarifWriter(deps.stdout, RULES, deps.version)
          .end(emptyCounts(), { stack: 'v1', all: false, strict: false, version: deps.version });
      else
        deps.stdout.write(deps.globals.output === 'json' ? out.ruleListJson(RULES) : out.renderRuleList(RULES, style));
      return { rulesListed: true };
    }
    for (const id of options.skip ?? [])
      if (!RULES.some((r) => r.id === id))
        throw new UsageError(`--skip ${id}: there is no such rule.`, 'See the rule ids with vnodes lint --list.');
    const { runLint } = await import('../workloads/run.js');
    // Opened on the first thing to write, so a failure before it (a cluster that cannot be read) leaves stdout to the
    // error document alone.
    let opened: ReturnType<typeof out.lintWriter> | undefined;
    const writer = () => (opened ??= out.lintWriter(deps.globals.output, deps, style, RULES, deps.version));
    let result;
    try {
      result = await runLint(
        options,
        deps,
        {
          findings: (batch, ignored) => writer().findings(batch, ignored),
          rendered: (items) => writer().rendered(items),
          problem: (p) => writer().problem(p),
        },
        // The worker script is built beside this module; run from the TypeScript sources (tests), there is none.
        import.meta.url.endsWith('.js')
          ? {
              script: new URL('./lint-worker.js', import.meta.url),
              data: { format: deps.globals.output, color: deps.terminal.color },
            }
          : undefined,
      );
    } finally {
      // A run that stops half way (a cluster read that fails) still shows what it had found.
      opened?.flush();
    }
    const read = result.listed?.map((l) => ({ kind: l.kind, scope: l.scope, count: l.count }));
    if (result.owned)
      deps.reporter.info(`${result.owned} object(s) owned by a controller were linted through their owner.`);
    writer().end(result.counts, {
      stack: options.stack ?? 'v1',
      all: Boolean(options.all),
      strict: options.strict,
      version: deps.version,
      ...(read ? { read } : {}),
    });
    if (deps.globals.output !== 'table') deps.stderr.write(`${out.summaryLine(result.counts)}\n`);
    return { ...result, strict: options.strict };
  },
  exitCode(r) {
    if ('rulesListed' in r) return ExitCode.ok;
    if (r.counts.problems) return ExitCode.usage;
    return r.counts.fail || (r.strict && r.counts.warn) ? ExitCode.failed : ExitCode.ok;
  },
};

/** Live mode from the flags, or nothing; mixing it with file inputs is a usage error. */
function liveOf(inputs: string[], raw: Record<string, unknown>): Pick<LintRunOptions, 'live'> {
  const cluster = raw.cluster === undefined ? undefined : String(raw.cluster);
  const group = raw.resourceGroup === undefined ? undefined : String(raw.resourceGroup);
  const kube = kubeSelection(raw);
  const isLive =
    cluster !== undefined ||
    group !== undefined ||
    kube.context !== undefined ||
    kube.kubeconfig !== undefined ||
    raw.namespace !== undefined ||
    raw.allNamespaces === true;
  if (!isLive) {
    if (inputs.length === 0)
      throw new UsageError(
        'Nothing to lint.',
        'Name files or directories, - for stdin, or read a cluster with --cluster C -g RG (or --context).',
      );
    return {};
  }
  if (inputs.length)
    throw new UsageError(
      `Files (${inputs.join(' ')}) and live mode cannot be mixed.`,
      'Lint files in one run and the cluster in another.',
    );
  if ((cluster === undefined) !== (group === undefined))
    throw new UsageError('--cluster and -g go together.', 'Pass both, or use --context to read a kubeconfig context.');
  if (raw.namespace !== undefined && raw.allNamespaces === true)
    throw new UsageError('--namespace and --all-namespaces exclude each other.', 'Pass one of them.');
  return {
    live: {
      // Azure's naming rules, checked before any call, as every cluster command does.
      ...(cluster !== undefined && group !== undefined ? clusterSelection(raw) : {}),
      ...kube,
      scope:
        raw.allNamespaces === true
          ? { all: true }
          : { namespace: raw.namespace === undefined ? 'default' : namespaceOption(raw.namespace) },
    },
  };
}
