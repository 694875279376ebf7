import type { Command } from 'commander';
import { status, type StatusOptions, type StatusReadError, type StatusResult } from '../cluster/status.js';
import { ExitCode } from '../errors.js';
import { clusterOptions, clusterSelection, kubeOptions, kubeSelection } from './cluster-options.js';
import type { CommandModule } from './types.js';

const PART_NAMES: Record<StatusReadError['part'], string> = {
  role: 'role assignments',
  kubernetes: 'Kubernetes',
  containerGroups: 'container groups',
};

/** `vnodes status`: the add-on on one screen. */
export const command: CommandModule<StatusOptions, StatusResult> = {
  kind: 'status',
  configure(cmd: Command) {
    kubeOptions(clusterOptions(cmd)).addHelpText(
      'after',
      '\nShows the add-on, its identity, the ACI subnet, the role, the virtual node, the connector pod, pods on the\nvirtual node and the container groups. Exits 0 when it could read everything (1 when a part could not be read: that line shows the error and its fix);\n-o json has `healthy`, `provisioningState` and `errors`.',
    );
  },
  parse: (_args, raw) => ({
    ...clusterSelection(raw),
    ...kubeSelection(raw),
  }),
  run: (options, deps) => status(options, deps),
  // The screen is shown either way; a part that could not be read makes the run a failure for scripts.
  exitCode: (r) => (r.errors.length ? ExitCode.failed : ExitCode.ok),
  render(r, style) {
    // With the add-on off, nothing is wrong with a missing subnet or node: show them as not applicable.
    const mark = (ok: boolean | undefined) => style.status(ok ? 'pass' : r.addon.enabled ? 'fail' : 'skip');
    const lines = [`Cluster ${r.cluster} (${r.resourceGroup}${r.location ? `, ${r.location}` : ''})`, ''];
    const failedRead = (part: StatusReadError['part'], label: string) => {
      const e = r.errors.find((x) => x.part === part);
      if (e) lines.push(`${style.status('error')} ${label} ${e.message}`, `  fix: ${e.remediation}`);
      return e !== undefined;
    };
    // The add-on settings of a cluster whose last operation did not succeed may not be in effect: say which state.
    const state = r.provisioningState ?? 'Succeeded';
    const settled = state.toLowerCase() === 'succeeded';
    const addonMark = !r.addon.enabled ? 'skip' : settled ? 'pass' : state.toLowerCase() === 'failed' ? 'fail' : 'warn';
    lines.push(
      `${style.status(addonMark)} add-on     aciConnectorLinux ${r.addon.enabled ? `enabled, SubnetName ${r.addon.subnetName}` : 'disabled'}${settled ? '' : ` (cluster provisioningState ${state})`}`,
    );
    if (!settled)
      lines.push(
        `  fix: ${
          state.toLowerCase() === 'failed'
            ? `the cluster's last operation failed: re-run vnodes enable (or az aks update -g ${r.resourceGroup} -n ${r.cluster}) to apply it again`
            : 'an operation is in progress on the cluster: run vnodes status again once it ends'
        }`,
      );
    if (r.addon.identity)
      lines.push(
        `  identity   ${r.addon.identity.resourceId?.split('/').pop() ?? ''} (objectId ${r.addon.identity.objectId ?? '?'})`,
      );
    if (r.subnet) {
      const s = r.subnet;
      lines.push(
        `${mark(s.exists && s.delegated)} subnet     ${s.name} ${s.exists ? `${s.addressPrefixes.join(', ')}, ${s.delegated ? 'delegated to ACI' : 'NOT delegated'}, ${s.usedIps} IP(s) used${s.containerGroupIps ? ` (${s.containerGroupIps} by container groups)` : ''}` : 'does not exist'}`,
      );
    }
    if (!failedRead('role', 'role      ') && r.role)
      lines.push(
        `${mark(r.role.granted)} role       ${r.role.assignments.map((a) => `${a.role} on ${a.scope.split('/').slice(-2).join('/')}`).join('; ') || 'none on the subnet'}`,
      );
    const k = r.kubernetes;
    if (!k.reachable) {
      lines.push(`${style.status(r.addon.enabled ? 'error' : 'skip')} kubernetes ${k.error}`);
      if (k.remediation) lines.push(`  fix: ${k.remediation}`);
    } else {
      lines.push(
        `${mark(k.node?.ready)} node       virtual-node-aci-linux ${k.node?.present ? (k.node.ready ? 'Ready' : `NotReady${k.node.reason ? ` (${k.node.reason})` : ''}`) : 'not registered'}${k.node?.lastHeartbeat ? `, heartbeat ${k.node.lastHeartbeat}` : ''}`,
      );
      const c = k.connector;
      lines.push(
        `${mark(c?.running)} connector  ${c?.pods ? `${c.running ? 'Running' : (c.waitingReason ?? 'not ready')}, ${c.restarts} restart(s)` : 'no aci-connector-linux pod'}`,
      );
      if (c?.message && !c.running) lines.push(`  error      ${c.message.split('\n')[0]}`);
      const phases = Object.entries(k.pods ?? {})
        .map(([p, n]) => `${n} ${p}`)
        .join(', ');
      lines.push(`  pods       ${phases || 'none'} on the virtual node`);
    }
    if (!failedRead('containerGroups', 'ACI       '))
      lines.push(
        `  ACI        ${r.containerGroups.length} container group(s)${r.containerGroups.length ? `: ${r.containerGroups.map((g) => `${g.name} (${g.state})`).join(', ')}` : ''}`,
      );
    lines.push(
      '',
      r.healthy
        ? 'Virtual nodes are healthy.'
        : r.errors.length
          ? `Part of the picture could not be read (${r.errors.map((e) => PART_NAMES[e.part]).join(', ')}): see above.`
          : r.addon.enabled
            ? 'Virtual nodes are enabled but not healthy: see above.'
            : 'Virtual nodes are off.',
    );
    return lines.join('\n') + '\n';
  },
};
