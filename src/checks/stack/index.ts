// Stack detection (catalog VN-STACK-001) and the v2 extension's resource provider (VN-RP-002).
import { defineCheck } from '../engine.js';
import { clusterNames, ev, result, STACK_TAG, V2_DOC, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import { STACK_NAMES } from './detect.js';

/** What doctor does not cover for each stack it does not manage. */
export const NOT_COVERED: Record<string, string> = {
  'v2-extension':
    'vnodes manages only v1: for v2 doctor checks the network, region, node, pods and workloads, not the extension settings, its identity or the VN2/AKS version matrix',
  'v2-helm':
    'vnodes manages only v1: for the v2 Helm chart doctor checks the network, region, node, pods and workloads, not the chart values, its identity or the VN2/AKS version matrix',
  'helm-vk':
    'vnodes manages only the AKS add-on: for a Helm-installed virtual kubelet doctor checks the node, pods and workloads, not the release or its credentials',
};

const detected = defineCheck({
  id: 'stack.detected',
  title: 'Virtual-node stack detected',
  area: 'stack',
  tags: ['stack'],
  severity: 'P0',
  catalog: ['VN-STACK-001'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['stack', 'cluster'],
  run({ stack, cluster }) {
    const n = clusterNames(cluster);
    const evidence = stack.signals.map((s) => ev(s.field, s.value, s.source));
    if (stack.kubernetesUnread) evidence.push(ev('kubernetes', stack.kubernetesUnread));
    if (stack.primary === 'none') {
      const why = stack.kubernetesUnread
        ? ' (Kubernetes could not be read, so a Helm-installed stack would be missed)'
        : '';
      return result(
        'fail',
        `Virtual nodes are not enabled on ${n.cluster}: no add-on, no v2 extension, no virtual node${why}.`,
        [ev('properties.addonProfiles.aciConnectorLinux.enabled', false, cluster.id), ...evidence],
        `vnodes enable --cluster ${n.cluster} -g ${n.group} (v1 add-on). For v2 (preview): az k8s-extension create -g ${n.group} --cluster-name ${n.cluster} --cluster-type managedClusters --extension-type Microsoft.virtualnodes --name virtualnodes`,
      );
    }
    const names = stack.detected.map((s) => STACK_NAMES[s]);
    if (stack.detected.length > 1) {
      return result(
        'warn',
        `More than one virtual-node stack runs: ${names.join(' and ')}. They compete for the same pods; keep one.`,
        evidence,
        stack.detected.includes('v1-addon')
          ? `To keep v2 only: vnodes disable --cluster ${n.cluster} -g ${n.group}`
          : 'Uninstall the one you do not use (helm uninstall <release>).',
      );
    }
    const note = NOT_COVERED[stack.primary];
    if (stack.primary === 'helm-vk')
      return result(
        'warn',
        `${STACK_NAMES[stack.primary]} runs. ${note}.`,
        evidence,
        'helm list -A | grep virtual-kubelet',
      );
    return result('pass', `${STACK_NAMES[stack.primary]}.${note ? ` ${note}.` : ''}`, evidence);
  },
});

const kubernetesConfiguration = defineCheck({
  id: 'stack.kubernetes-configuration-provider',
  title: 'Microsoft.KubernetesConfiguration registered (v2 extension)',
  area: 'stack',
  tags: ['stack', 'provider', STACK_TAG['v2-extension']],
  severity: 'P0',
  catalog: ['VN-RP-002'],
  docs: V2_DOC,
  facts: ['kubernetesConfigurationProvider'],
  run({ kubernetesConfigurationProvider: p }) {
    const state = p.registrationState ?? 'Unknown';
    const evidence = [ev('providers/Microsoft.KubernetesConfiguration.registrationState', state)];
    if (state.toLowerCase() === 'registered')
      return result('pass', 'Microsoft.KubernetesConfiguration is registered.', evidence);
    return result(
      state.toLowerCase() === 'registering' ? 'warn' : 'fail',
      `Microsoft.KubernetesConfiguration is ${state}: the virtual nodes v2 extension cannot be managed until it is Registered.`,
      evidence,
      'az provider register --namespace Microsoft.KubernetesConfiguration --wait',
    );
  },
});

/** Stack checks. */
export const stackChecks = [detected, kubernetesConfiguration];
