import { Option, type Command } from 'commander';
import { ExitCode } from '../errors.js';
import { renderChecks } from '../output/checks.js';
import { renderTable } from '../output/table.js';
import { checkRegion, type CheckRegionOptions, type CheckRegionResult } from '../region/check-region.js';
import { ACI_GPU_RETIREMENT } from '../region/evaluate.js';
import { UsageError } from '../errors.js';
import { integer, nonEmpty, optional, positiveNumber } from './parse.js';
import type { CommandModule } from './types.js';

/** `vnodes check-region`: which regions can host virtual-node pods. */
export const command: CommandModule<CheckRegionOptions, CheckRegionResult> = {
  kind: 'check-region',
  configure(cmd: Command) {
    cmd
      .option('-l, --location <region...>', 'region(s) to check, any spelling ("East US", eastus)')
      .option('--all', 'check every region where ACI offers container groups', false)
      .option('--cpu <vcpu>', 'pod CPU request to fit, in vCPU (e.g. 1, 0.5)')
      .option('--memory <gb>', 'pod memory request to fit, in GB (e.g. 1.5)')
      .addOption(
        new Option('--concurrency <n>', 'region reads in flight at first with --all (429s halve it)')
          .default('64')
          .hideHelp(),
      )
      .addHelpText(
        'after',
        `\nExit codes: 0 every named region can host virtual-node pods (with --all: at least one), 1 one cannot or the\nprovider is not registered, 2 bad input such as an unknown region.\n\nExamples:\n  vnodes check-region --location eastus --cpu 2 --memory 4\n  vnodes check-region --all -o json`,
      );
  },
  parse(_args, raw) {
    const locations = ((raw.location as string[] | undefined) ?? []).map((l) =>
      nonEmpty('--location', l, { example: 'eastus' }),
    );
    const all = Boolean(raw.all);
    if (!all && locations.length === 0) {
      throw new UsageError(
        'check-region needs a region.',
        'Name one with --location eastus, or check them all with --all.',
      );
    }
    if (all && locations.length)
      throw new UsageError('--all and --location do not go together.', 'Pass one or the other.');
    const cpu = optional(raw.cpu, (v) => positiveNumber('--cpu', v, { example: '1' }));
    const memoryGB = optional(raw.memory, (v) => positiveNumber('--memory', v, { example: '1.5' }));
    const concurrency = integer('--concurrency', raw.concurrency, { min: 1, max: 256 }, { example: '8' });
    const size = cpu !== undefined || memoryGB !== undefined ? { cpu: cpu ?? 1, memoryGB: memoryGB ?? 1.5 } : undefined;
    return { locations, all, concurrency, ...(size ? { size } : {}) };
  },
  run: (options, deps) => checkRegion(options, deps),
  exitCode: (result) => (result.passed ? ExitCode.ok : ExitCode.failed),
  render(result, style) {
    const lines = renderChecks(result.checks, style, { layout: 'list' });
    if (result.regions.length) {
      lines.push('');
      const sized = result.request !== undefined;
      const headers = [
        'REGION',
        'VNET',
        'MAX CPU',
        'MAX MEM GB',
        'GROUPS USED',
        'CORES USED',
        'GPU',
        ...(sized ? ['FITS'] : []),
        'STATUS',
      ];
      const rows = result.regions.map((r) => [
        r.location,
        r.vnet ? 'yes' : 'no',
        r.maxCpu?.toString() ?? '-',
        r.maxMemoryInGB?.toString() ?? '-',
        r.quota.containerGroups ? `${r.quota.containerGroups.used}/${r.quota.containerGroups.limit}` : '-',
        r.quota.standardCores ? `${r.quota.standardCores.used}/${r.quota.standardCores.limit}` : '-',
        r.gpuSkus.length ? `${r.gpuSkus.join(',')} (retired)` : '-',
        ...(sized ? [r.fits ? 'yes' : 'no'] : []),
        style.status(r.status),
      ]);
      lines.push(renderTable(headers, rows).trimEnd());
      const problems = renderChecks(
        result.regions.flatMap((r) => r.checks),
        style,
        { layout: 'problems', target: true },
      );
      if (problems.length) lines.push('', ...problems);
      if (result.regions.some((r) => r.gpuSkus.length)) {
        lines.push(
          '',
          `Note: ACI GPU SKUs were retired on ${ACI_GPU_RETIREMENT} and never worked with VNet; use an AKS GPU node pool.`,
        );
      }
    }
    lines.push('');
    const request = result.request ? ` for ${result.request.cpu} vCPU / ${result.request.memoryGB} GB` : '';
    lines.push(
      result.usable.length
        ? `${result.usable.length} of ${result.regions.length} region(s) can host virtual-node pods${request}: ${result.usable.join(', ')}`
        : `No checked region can host virtual-node pods${request}.`,
    );
    return lines.join('\n') + '\n';
  },
};
