import type { Command } from 'commander';
import { status, type StatusOptions, type StatusResult } from '../cluster/status.js';
import { clusterOptions, clusterSelection, kubeOptions, kubeSelection } from './cluster-options.js';
import type { CommandModule } from './types.js';

/** `vnodes status`: the add-on on one screen. */
export const command: CommandModule<StatusOptions, StatusResult> = {
  kind: 'status',
  configure(cmd: Command) {
    kubeOptions(clusterOptions(cmd)).addHelpText(
      'after',
      '\nShows the add-on, its identity, the ACI subnet, the role, the virtual node, the connector pod, pods on the\nvirtual node and the container groups. Exits 0 whenever it could read Azure; -o json has `healthy`.',
    );
  },
  parse: (_args, raw) => ({
    ...clusterSelection(raw),
    ...kubeSelection(raw),
  }),
  run: (options, deps) => status(options, deps),
  render(r, style) {
    // With the add-on off, nothing is wrong with a missing subnet or node: show them as not applicable.
    const mark = (ok: boolean | undefined) => style.status(ok ? 'pass' : r.addon.enabled ? 'fail' : 'skip');
    const lines = [`Cluster ${r.cluster} (${r.resourceGroup}${r.location ? `, ${r.location}` : ''})`, ''];
    lines.push(
      `${style.status(r.addon.enabled ? 'pass' : 'skip')} add-on     aciConnectorLinux ${r.addon.enabled ? `enabled, SubnetName ${r.addon.subnetName}` : 'disabled'}`,
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
    if (r.role)
      lines.push(
        `${mark(r.role.granted)} role       ${r.role.assignments.map((a) => `${a.role} on ${a.scope.split('/').slice(-2).join('/')}`).join('; ') || 'none on the subnet'}`,
      );
    const k = r.kubernetes;
    if (!k.reachable) lines.push(`${style.status(r.addon.enabled ? 'error' : 'skip')} kubernetes ${k.error}`);
    else {
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
    lines.push(
      `  ACI        ${r.containerGroups.length} container group(s)${r.containerGroups.length ? `: ${r.containerGroups.map((g) => `${g.name} (${g.state})`).join(', ')}` : ''}`,
    );
    lines.push(
      '',
      r.healthy
        ? 'Virtual nodes are healthy.'
        : r.addon.enabled
          ? 'Virtual nodes are enabled but not healthy: see above.'
          : 'Virtual nodes are off.',
    );
    return lines.join('\n') + '\n';
  },
};
