import { Option, type Command } from 'commander';
import { enable, type EnableOptions, type EnableResult } from '../cluster/enable.js';
import { UsageError } from '../errors.js';
import { DEFAULT_SUBNET_NAME, assertSubnetName } from '../network/input.js';
import { DEFAULT_SUBNET_PREFIX_LENGTH } from '../network/plan.js';
import type { Style } from '../output/style.js';
import { renderChecks } from '../output/checks.js';
import { clusterOptions, clusterSelection, kubeOptions, kubeSelection, prefixLength } from './cluster-options.js';
import { cidr as parseCidr, duration, optional } from './parse.js';
import { renderDryRun } from '../output/requests.js';
import type { CommandModule } from './types.js';

/** `vnodes enable`: turn virtual nodes on, end to end. */
export const command: CommandModule<EnableOptions, EnableResult> = {
  kind: 'enable',
  configure(cmd: Command) {
    kubeOptions(clusterOptions(cmd))
      .option(
        '--subnet-name <name>',
        `the ACI subnet, created or adopted (default: the one the add-on uses, else ${DEFAULT_SUBNET_NAME})`,
      )
      .option('--cidr <cidr>', 'range for a new subnet (default: the first free /24 in the VNet)')
      .option(
        '--prefix-length <n>',
        'size of a new subnet when --cidr is not given',
        String(DEFAULT_SUBNET_PREFIX_LENGTH),
      )
      .option('--wait', 'wait for the virtual node to be Ready and the connector Running (the default)')
      .option('--no-wait', 'return once Azure is configured, without waiting for the virtual node')
      .option('--timeout <duration>', 'how long to wait for the virtual node to be Ready', '10m')
      .option('--dry-run', 'print every write (method, URL, body) and make none', false)
      .option('--force', 'continue even when preflight checks fail', false)
      .addOption(new Option('--poll-interval <duration>', 'how often the wait polls').default('2s').hideHelp())
      .addHelpText(
        'after',
        '\nSteps: preflight checks → subnet (create or adopt) → add-on (only aciConnectorLinux changes, PUT with If-Match)\n' +
          '→ Network Contributor on the subnet for the add-on identity → wait for the virtual node and connector pod.\n' +
          'Re-running on an enabled cluster changes nothing. Writes need --yes when not at a terminal.\n\n' +
          'Exit codes: 0 enabled (or already), 1 a preflight check or step failed or the wait timed out, 2 bad input,\n4 not signed in or not allowed, 130 interrupted (re-run to resume).\n\n' +
          'Example:\n  vnodes enable --cluster aks-demo -g rg-aks --yes',
      );
  },
  parse(_args, raw) {
    const cidr = optional(raw.cidr, (v) => parseCidr('--cidr', v));
    if (cidr && raw.prefixLength !== String(DEFAULT_SUBNET_PREFIX_LENGTH)) {
      throw new UsageError(
        '--cidr and --prefix-length do not go together.',
        'Pass --cidr for an exact range, or --prefix-length to let vnodes choose one.',
      );
    }
    return {
      ...clusterSelection(raw),
      ...(raw.subnetName !== undefined
        ? { subnetName: assertSubnetName(String(raw.subnetName), '--subnet-name') }
        : {}),
      ...(cidr ? { cidr } : {}),
      prefixLength: prefixLength(raw.prefixLength),
      wait: raw.wait !== false,
      timeoutMs: duration('--timeout', raw.timeout),
      pollMs: duration('--poll-interval', raw.pollInterval),
      dryRun: Boolean(raw.dryRun),
      force: Boolean(raw.force),
      ...kubeSelection(raw),
    };
  },
  run: (options, deps) => enable(options, deps),
  render: renderEnable,
};

/** Human summary: what changed, each write in a dry run, and the sample deployment. */
export function renderEnable(result: EnableResult, style: Style): string {
  const ok = style.status('pass');
  const lines: string[] = [];
  const warnings = renderChecks(result.preflight, style, { layout: 'problems', id: 'preflight' });
  if (warnings.length) lines.push(...warnings, '');
  if (result.dryRun) {
    lines.push(...renderDryRun(result.requests));
    return lines.join('\n') + '\n';
  }
  const verb = (a: string) => (a === 'unchanged' ? 'already in place' : a);
  lines.push(`${ok} subnet ${result.subnet.name} (${result.subnet.cidr}): ${verb(result.subnet.action)}`);
  lines.push(`${ok} add-on aciConnectorLinux (SubnetName ${result.addon.subnetName}): ${verb(result.addon.action)}`);
  if (result.role) {
    const how = result.role.inheritedFrom ? ` (inherited from ${result.role.inheritedFrom})` : '';
    lines.push(
      `${ok} Network Contributor for identity ${result.role.principalId} on the subnet: ${verb(result.role.action)}${how}`,
    );
  }
  if (result.wait)
    lines.push(
      `${ok} node virtual-node-aci-linux Ready, connector Running (waited ${(result.wait.waitedMs / 1000).toFixed(1)} s)`,
    );
  lines.push(
    '',
    result.changed
      ? `Virtual nodes are enabled on ${result.cluster}.`
      : `Virtual nodes were already enabled on ${result.cluster}: nothing changed.`,
  );
  lines.push('', 'Try it with this deployment (kubectl apply -f -):', '', result.sampleDeployment);
  return lines.join('\n');
}
