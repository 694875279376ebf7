import { Option, type Command } from 'commander';
import { doctorCatalog, type CatalogRow } from '../doctor/catalog.js';
import type { DoctorOptions, DoctorResult } from '../doctor/run.js';
import { ExitCode, UsageError } from '../errors.js';
import { renderDoctor, renderCatalog } from '../output/doctor.js';
import { parseDuration } from '../util/duration.js';
import { kubeOptions, kubeSelection } from './cluster-options.js';
import { nonEmpty, registryHost } from './parse.js';
import type { CommandModule } from './types.js';

type Options = (DoctorOptions & { list: false }) | { list: true };
type Result = DoctorResult | { catalog: CatalogRow[] };

const names = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** `vnodes doctor`: every known reason virtual nodes fail, with evidence and the fix. */
export const command: CommandModule<Options, Result> = {
  kind: 'doctor',
  // --probe deletes its pod after Ctrl-C: the calls of that cleanup must not be cancelled. Other runs only read, and
  // Ctrl-C cancels their reads at once.
  cleansUp: (o) => !o.list && o.probe && !o.probeDryRun,
  configure(cmd: Command) {
    kubeOptions(
      cmd
        .option('--cluster <name>', 'the AKS cluster')
        .option('-g, --resource-group <name>', "the cluster's resource group"),
    )
      .option('--only <id|area...>', 'run only these checks or areas (repeat or comma-separate)', names)
      .option('--skip <id|area...>', 'leave out these checks or areas', names)
      .option('--fix', 'apply the safe fixes (provider registration, subnet, add-on, role, connector restart)')
      .option('--probe', 'also run the live probe: a pod on the virtual node tests DNS, API server, registry')
      .option('--probe-image <image>', 'with --probe: the probe image (a shell, nslookup, wget)')
      .option('--probe-registry <host>', 'with --probe: the registry to reach from ACI (default mcr.microsoft.com)')
      .option('--dry-run', 'with --fix or --probe: print every write and make none')
      .option('--strict', 'warnings fail too (exit 1)')
      .option('--wait <duration>', 're-run failing checks until they pass or this passes (e.g. 2m)')
      .option('--list', 'print the check catalog and exit')
      .addOption(new Option('--poll-interval <duration>', 'how often --wait re-runs').default('5s').hideHelp())
      .addHelpText(
        'after',
        '\nExit codes: 0 nothing failed (warnings allowed; --strict: no warnings either), 1 a check failed or could\n' +
          'not run, 2 bad input (an unknown --only/--skip name lists the valid ones), 4 not signed in.\n\nExamples:\n' +
          '  vnodes doctor --cluster aks-demo -g rg-aks\n' +
          '  vnodes doctor --cluster aks-demo -g rg-aks --only identity,connector -o json\n' +
          '  vnodes doctor --cluster aks-demo -g rg-aks --fix --dry-run\n' +
          '  vnodes doctor --cluster aks-demo -g rg-aks --probe --probe-registry myacr.azurecr.io\n' +
          '  vnodes doctor --list',
      );
  },
  parse(_args, raw) {
    if (raw.list) return { list: true };
    if (raw.cluster === undefined || raw.resourceGroup === undefined)
      throw new UsageError(
        'doctor needs --cluster and -g (--resource-group).',
        'vnodes doctor --cluster NAME -g GROUP, or vnodes doctor --list.',
      );
    if (raw.dryRun && !raw.fix && !raw.probe)
      throw new UsageError(
        '--dry-run only applies to --fix and --probe.',
        'Add --fix or --probe, or drop --dry-run: doctor alone writes nothing.',
      );
    if ((raw.probeImage !== undefined || raw.probeRegistry !== undefined) && !raw.probe)
      throw new UsageError(
        `${raw.probeImage !== undefined ? '--probe-image' : '--probe-registry'} only applies to --probe.`,
        'Add --probe to run the live probe, or drop the flag.',
      );
    return {
      list: false,
      cluster: String(raw.cluster),
      resourceGroup: String(raw.resourceGroup),
      only: (raw.only as string[] | undefined) ?? [],
      skip: (raw.skip as string[] | undefined) ?? [],
      fix: raw.fix === true,
      strict: raw.strict === true,
      dryRun: raw.dryRun === true,
      probe: raw.probe === true,
      probeDryRun: raw.probe === true && raw.dryRun === true,
      ...(raw.probeImage !== undefined ? { probeImage: nonEmpty('--probe-image', raw.probeImage) } : {}),
      ...(raw.probeRegistry !== undefined
        ? { probeRegistry: registryHost('--probe-registry', raw.probeRegistry) }
        : {}),
      ...(raw.wait !== undefined ? { waitMs: parseDuration(String(raw.wait), '--wait') } : {}),
      pollMs: parseDuration(String(raw.pollInterval), '--poll-interval'),
      ...kubeSelection(raw),
    };
  },
  async run(options, deps) {
    if (options.list) return { catalog: doctorCatalog() };
    const { doctor, selectDoctorChecks } = await import('../doctor/run.js');
    const selected = selectDoctorChecks(options.only, options.skip);
    for (const [name, ids] of Object.entries(selected.matched))
      deps.reporter.info(`${options.only.includes(name) ? '--only' : '--skip'} ${name}: ${ids.join(', ')}`);
    return doctor(options, deps);
  },
  exitCode: (result) => ('catalog' in result ? ExitCode.ok : result.passed ? ExitCode.ok : ExitCode.failed),
  render: (result, style) => ('catalog' in result ? renderCatalog(result.catalog, style) : renderDoctor(result, style)),
};
