import { Option, type Command } from 'commander';
import { ACI_DELEGATION } from '../network/facts.js';
import { assertSubnetName, DEFAULT_SUBNET_NAME } from '../network/input.js';
import { DEFAULT_SUBNET_PREFIX_LENGTH } from '../network/plan.js';
import { subnetCreate, type SubnetCreateOptions, type SubnetCreateResult } from '../network-features/subnet-create.js';
import { renderChecks } from '../output/checks.js';
import { clusterSelection, prefixLength } from './cluster-options.js';
import { cidr as parseCidr, optional } from './parse.js';
import type { Style } from '../output/style.js';
import { renderRequest } from '../output/requests.js';
import type { CommandModule } from './types.js';

function headline(r: SubnetCreateResult, style: Style): string {
  const subnet = `subnet ${r.subnet.name} (${r.cidr}, ${r.usableAddresses} usable addresses)`;
  const vnet = `VNet ${r.vnet.name} (${r.vnet.resourceGroup}${r.vnet.managed ? ', AKS-managed' : ''})`;
  if (r.dryRun) {
    const would =
      r.action === 'created'
        ? `create ${subnet} in ${vnet}, delegated to ${ACI_DELEGATION}`
        : `add the ${ACI_DELEGATION} delegation to ${subnet} in ${vnet}`;
    return `Dry run: vnodes would ${would}. Nothing was written. The request:`;
  }
  const done =
    r.action === 'created'
      ? `Created ${subnet} in ${vnet}, delegated to ${ACI_DELEGATION}.`
      : r.action === 'updated'
        ? `Delegated ${subnet} in ${vnet} to ${ACI_DELEGATION}; every other property kept.`
        : `Nothing to do: ${subnet} in ${vnet} is ${r.reason}.`;
  return `${style.status('pass')} ${done}`;
}

/** `vnodes subnet create`: create or adopt the ACI subnet in the cluster VNet. */
export const command: CommandModule<SubnetCreateOptions, SubnetCreateResult> = {
  kind: 'subnet create',
  configure(cmd: Command) {
    cmd
      .requiredOption('--cluster <name>', 'the AKS cluster')
      .requiredOption('-g, --resource-group <name>', "the cluster's resource group")
      .option('--name <subnet>', 'the ACI subnet to create or adopt', DEFAULT_SUBNET_NAME)
      .addOption(
        new Option('--cidr <cidr>', 'its IPv4 range (default: the first free block of --prefix-length)').conflicts(
          'prefixLength',
        ),
      )
      .option('--prefix-length <n>', `size of the block vnodes picks, /16 to /28`, String(DEFAULT_SUBNET_PREFIX_LENGTH))
      .option('--dry-run', 'print the exact PUT (URL, headers, body) and write nothing', false)
      .addHelpText(
        'after',
        '\nWrites need --yes when not run from a terminal (not with --dry-run).\n' +
          'Exit codes: 0 created, delegated or already fine; 1 refused (subnet in use, route table, delegated elsewhere,\n' +
          'no free range) or Azure said no; 2 bad input.\n\nExamples:\n' +
          '  vnodes subnet create --cluster aks-demo -g rg-aks --dry-run\n' +
          '  vnodes subnet create --cluster aks-demo -g rg-aks --cidr 10.241.0.0/24 --yes -o json',
      );
  },
  parse(_args, raw) {
    const cidr = optional(raw.cidr, (v) => parseCidr('--cidr', v));
    return {
      ...clusterSelection(raw),
      name: assertSubnetName(String(raw.name), '--name'),
      ...(cidr ? { cidr } : {}),
      prefixLength: prefixLength(raw.prefixLength),
      dryRun: Boolean(raw.dryRun),
    };
  },
  run: (options, deps) => subnetCreate(options, deps),
  render(result, style) {
    const lines = [headline(result, style)];
    const req = result.request;
    if (result.dryRun && req) {
      lines.push('', ...renderRequest(req));
    }
    const warnings = renderChecks(result.warnings, style, { layout: 'problems' });
    if (warnings.length) lines.push('', ...warnings);
    if (!result.dryRun) {
      lines.push(
        '',
        `Next: vnodes enable --cluster ${result.cluster} -g ${result.resourceGroup} --subnet-name ${result.subnet.name}`,
      );
    }
    return lines.join('\n') + '\n';
  },
};
