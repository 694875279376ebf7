// The live data-plane probe (VN-PROBE-001, opt-in with --probe): a pod on the virtual node tests, from inside ACI,
// what no read can (research/pain.md §4): that a pod runs, resolves cluster DNS, reaches the API server and the
// registry, and goes away. One check with one evidence line per step: the steps are one pod's life, a later step
// means nothing once an earlier one failed, and `--only probe.live` stays one name.
import { defineCheck } from '../engine.js';
import { ev, result, V1, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import type { ProbeFact } from '../doctor-facts.js';

/** What to do when a step fails, by step. */
function fixFor(step: string, probe: ProbeFact): string {
  const [namespace, name] = probe.pod.split('/');
  switch (step) {
    case 'running':
      return `The probe pod never ran: see its reason above (pods.failed has more); kubectl describe pod -n ${namespace} <a pod on ${probe.node}>. An image pull failure means ACI cannot reach ${probe.registry}: allow it from the ACI subnet, or use vnodes provider probe --image <an image in your registry>.`;
    case 'dns':
    case 'apiserver':
      return 'ACI reaches cluster DNS (kube-dns ClusterIP, through kube-proxy) only when it reaches the API server: remove apiServerAccessProfile.authorizedIPRanges (network.authorized-ip-ranges), and let the ACI subnet NSG and route table reach the API server and the VNet.';
    case 'registry':
      return `Allow outbound HTTPS (443) from the ACI subnet to ${probe.registry} (NSG, firewall, route table); vnodes provider probe --registry <host> tests another.`;
    default:
      return `kubectl delete pod -n ${namespace} ${name}; az container list -g <node resource group> --query "[?tags.PodName=='${name}']"`;
  }
}

const live = defineCheck({
  id: 'probe.live',
  title:
    'A probe pod on the virtual node runs, resolves DNS, reaches the API server and the registry (opt-in: --probe)',
  area: 'probe',
  tags: ['probe', 'opt-in', ...V1],
  severity: 'P1',
  catalog: ['VN-PROBE-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['node.ready'],
  facts: ['probe'],
  run({ probe }) {
    if (probe.wouldCreate !== undefined)
      return result(
        'skip',
        `Dry run: would create pod ${probe.pod} on ${probe.node} (image ${probe.image}) and delete it after.`,
        [ev('wouldCreate', probe.wouldCreate)],
      );
    const evidence = [
      ev('pod', probe.pod, probe.node),
      ...(probe.containerGroup ? [ev('containerGroup', probe.containerGroup)] : []),
      ...probe.steps.map((s) => ev(`step.${s.step}`, `${s.ok ? 'ok' : 'fail'}: ${s.evidence}`)),
    ];
    const failed = probe.steps.filter((s) => !s.ok);
    if (!failed.length)
      return result(
        'pass',
        `Probe ${probe.pod} ran on ${probe.node}: ${probe.steps.map((s) => s.step).join(', ')} ok.`,
        evidence,
      );
    return result(
      'fail',
      `Probe ${probe.pod} failed ${failed.map((s) => `${s.step} (${s.evidence})`).join(', ')}.`,
      evidence,
      [...new Set(failed.map((s) => fixFor(s.step, probe)))].join(' '),
    );
  },
});

/** The probe check. */
export const probeChecks = [live];
