import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { checkNetwork, type CheckNetworkOptions, type CheckNetworkResult } from '../network/check-network.js';
import { assertSubnetName, parseSubnetCidr } from '../network/input.js';
import { renderTable } from '../output/table.js';
import { clusterSelection } from './cluster-options.js';
import type { CommandModule } from './types.js';

/** `vnodes check-network`: the network prerequisites of virtual nodes on one cluster. */
export const command: CommandModule<CheckNetworkOptions, CheckNetworkResult> = {
  kind: 'check-network',
  configure(cmd: Command) {
    cmd
      .requiredOption('--cluster <name>', 'the AKS cluster')
      .requiredOption('-g, --resource-group <name>', "the cluster's resource group")
      .option('--subnet-name <name>', "the ACI subnet to vet (default: the add-on's SubnetName, if enabled)")
      .option('--cidr <cidr>', 'a range you plan to give the ACI subnet (IPv4, e.g. 10.241.0.0/24)')
      .addHelpText(
        'after',
        '\nExit codes: 0 nothing failed (warnings allowed), 1 a check failed or could not run, or the cluster was not\n' +
          'found, 2 bad input (malformed or IPv6 CIDR, illegal subnet name).\n\nExamples:\n' +
          '  vnodes check-network --cluster aks-demo -g rg-aks\n' +
          '  vnodes check-network --cluster aks-demo -g rg-aks --subnet-name virtual-node-aci --cidr 10.241.0.0/24 -o json',
      );
  },
  parse(_args, raw) {
    const subnetName =
      raw.subnetName === undefined ? undefined : assertSubnetName(String(raw.subnetName), '--subnet-name');
    const cidr = raw.cidr === undefined ? undefined : parseSubnetCidr(String(raw.cidr)).cidr;
    return {
      ...clusterSelection(raw),
      ...(subnetName ? { subnetName } : {}),
      ...(cidr ? { cidr } : {}),
    };
  },
  run: (options, deps) => checkNetwork(options, deps),
  exitCode: (result) => (result.passed ? ExitCode.ok : ExitCode.failed),
  render(result, style) {
    const vnet = result.vnet
      ? `VNet ${result.vnet.id.split('/').pop()} (${result.vnet.addressSpace.join(', ')}${result.vnet.managed ? ', AKS-managed' : ''})`
      : 'VNet not found';
    const subnet = result.subnetName ? ` · ACI subnet ${result.subnetName}` : '';
    const lines = [`Cluster ${result.cluster} (${result.resourceGroup}) · ${vnet}${subnet}`, ''];
    const shown = result.checks.filter((c) => c.status !== 'skip');
    lines.push(
      renderTable(
        ['STATUS', 'CHECK', 'RESULT'],
        shown.map((c) => [style.status(c.status), c.id, c.summary]),
      ).trimEnd(),
    );
    const problems = result.checks.filter(
      (c) => (c.status === 'fail' || c.status === 'warn' || c.status === 'error') && c.remediation,
    );
    if (problems.length) lines.push('');
    for (const c of problems) lines.push(`${style.status(c.status)} ${c.id}`, `  fix: ${c.remediation}`);
    const skipped = result.checks.filter((c) => c.status === 'skip').map((c) => c.id);
    const { pass, warn, fail, error } = result.counts;
    lines.push(
      '',
      `${pass} passed, ${warn} warning(s), ${fail} failed${error ? `, ${error} could not run` : ''}, ${skipped.length} skipped.`,
    );
    if (skipped.length)
      lines.push(
        style.chalk.dim(`Skipped (nothing to vet without --subnet-name/--cidr, or no VNet): ${skipped.join(', ')}`),
      );
    return lines.join('\n') + '\n';
  },
};
