// The v1 add-on itself (VN-STACK-001 for v1, VN-SUB-001's "a name, not an id") and node resource group lockdown
// (VN-NRG-001).
import { defineCheck } from '../engine.js';
import { clusterNames, ev, result, V1, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import { addonState } from '../../network/addon.js';

const enabled = defineCheck({
  id: 'addon.enabled',
  title: 'The aciConnectorLinux add-on is enabled with a subnet name',
  area: 'addon',
  tags: ['addon', ...V1],
  severity: 'P0',
  catalog: ['VN-STACK-001', 'VN-SUB-001'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['cluster'],
  run({ cluster }) {
    const n = clusterNames(cluster);
    const addon = addonState(cluster);
    const field = `properties.addonProfiles.${addon.key ?? 'aciConnectorLinux'}`;
    const evidence = [
      ev(`${field}.enabled`, addon.enabled, cluster.id),
      ev(`${field}.config.SubnetName`, addon.subnetName, cluster.id),
    ];
    const enable = `vnodes enable --cluster ${n.cluster} -g ${n.group}`;
    if (!addon.enabled)
      return result('fail', `The virtual-node add-on is not enabled on ${n.cluster}.`, evidence, enable);
    if (!addon.subnetName)
      return result(
        'fail',
        'The add-on is enabled without a SubnetName: the connector has no subnet.',
        evidence,
        `vnodes disable --cluster ${n.cluster} -g ${n.group}, then ${enable}`,
      );
    if (addon.subnetName.includes('/'))
      return result(
        'fail',
        'SubnetName holds a resource id; the add-on takes the subnet name only.',
        evidence,
        `vnodes disable --cluster ${n.cluster} -g ${n.group}, then ${enable} --subnet-name ${addon.subnetName.split('/').pop()}`,
      );
    if (cluster.provisioningState?.toLowerCase() === 'failed') {
      evidence.push(ev('properties.provisioningState', cluster.provisioningState, cluster.id));
      return result('warn', `The add-on is on, but the cluster's last operation failed.`, evidence, enable);
    }
    return result('pass', `Enabled with subnet ${addon.subnetName}.`, evidence);
  },
});

const nodeGroupLockdown = defineCheck({
  id: 'addon.node-rg-lockdown',
  title: 'Node resource group not locked down',
  area: 'addon',
  tags: ['addon'],
  severity: 'P2',
  catalog: ['VN-NRG-001'],
  docs: 'https://learn.microsoft.com/azure/aks/node-resource-group-lockdown',
  facts: ['cluster', 'stack'],
  run({ cluster, stack }) {
    const level = cluster.nodeResourceGroupProfile?.restrictionLevel ?? 'Unrestricted';
    const evidence = [ev('properties.nodeResourceGroupProfile.restrictionLevel', level, cluster.id)];
    if (level.toLowerCase() !== 'readonly')
      return result('pass', `Node resource group restriction: ${level}.`, evidence);
    const v2 = stack.primary === 'v2-extension' || stack.primary === 'v2-helm';
    return result(
      v2 ? 'fail' : 'warn',
      v2
        ? 'The node resource group is ReadOnly: v2 cannot create container groups there unless it uses its own resource group.'
        : 'The node resource group is ReadOnly; not verified for the v1 add-on, which creates container groups there.',
      evidence,
      v2
        ? 'Set aciResourceGroupName in the chart values to a resource group of its own (VN2 SecurityCustomizations).'
        : `az aks update -g ${clusterNames(cluster).group} -n ${clusterNames(cluster).cluster} --nrg-lockdown-restriction-level Unrestricted`,
    );
  },
});

/** Add-on checks. */
export const addonChecks = [enabled, nodeGroupLockdown];
