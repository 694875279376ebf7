import type { Command } from 'commander';
import { disable, type DisableOptions, type DisableResult } from '../cluster/disable.js';
import { clusterOptions, clusterSelection } from './cluster-options.js';
import { renderDryRun } from '../output/requests.js';
import type { CommandModule } from './types.js';

/** `vnodes disable`: turn virtual nodes off and remove what enable created. */
export const command: CommandModule<DisableOptions, DisableResult> = {
  kind: 'disable',
  configure(cmd: Command) {
    clusterOptions(cmd)
      .option('--delete-subnet', 'also delete the ACI subnet, once no container group uses it', false)
      .option('--dry-run', 'print every write (method, URL, body) and make none', false)
      .addHelpText(
        'after',
        '\nTurns the aciConnectorLinux add-on off (PUT with If-Match), removes the Network Contributor assignment vnodes\n' +
          'created, and keeps the add-on identity (AKS keeps it too). Grants made by others are left alone.\n\n' +
          'Example:\n  vnodes disable --cluster aks-demo -g rg-aks --delete-subnet --yes',
      );
  },
  parse: (_args, raw) => ({
    ...clusterSelection(raw),
    deleteSubnet: Boolean(raw.deleteSubnet),
    dryRun: Boolean(raw.dryRun),
  }),
  run: (options, deps) => disable(options, deps),
  render(result, style) {
    const ok = style.status('pass');
    const lines: string[] = [];
    if (result.dryRun) {
      return [...renderDryRun(result.requests), ''].join('\n');
    }
    lines.push(
      `${ok} add-on aciConnectorLinux: ${result.addon.action === 'unchanged' ? 'already disabled' : 'disabled'}`,
    );
    const role = { removed: 'removed', absent: 'none to remove', skipped: `not checked (${result.role.reason})` }[
      result.role.action
    ];
    lines.push(`${ok} Network Contributor assignment made by vnodes: ${role}`);
    if (result.subnet.action === 'kept')
      lines.push(`${style.status('warn')} subnet ${result.subnet.name} kept: ${result.subnet.reason}`);
    else if (result.subnet.action === 'deleted') lines.push(`${ok} subnet ${result.subnet.name} deleted`);
    if (result.addon.identityKept)
      lines.push(
        style.chalk.dim(`The add-on identity ${result.addon.identityKept.split('/').pop()} stays, as AKS keeps it.`),
      );
    lines.push(
      '',
      result.changed
        ? `Virtual nodes are disabled on ${result.cluster}.`
        : `Virtual nodes were already disabled on ${result.cluster}: nothing changed.`,
    );
    return lines.join('\n') + '\n';
  },
};
