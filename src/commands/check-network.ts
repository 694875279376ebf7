import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { checkNetwork, type CheckNetworkOptions, type CheckNetworkResult } from '../network-features/check-network.js';
import { assertSubnetName } from '../network/input.js';
import { renderChecks } from '../output/checks.js';
import { clusterSelection } from './cluster-options.js';
import { cidr as parseCidr, optional } from './parse.js';
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
    const cidr = optional(raw.cidr, (v) => parseCidr('--cidr', v));
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
    lines.push(
      ...renderChecks(result.checks, style, {
        layout: 'table',
        summary: true,
        skippedWhy: 'nothing to vet without --subnet-name/--cidr, or no VNet',
      }),
    );
    return lines.join('\n') + '\n';
  },
};
