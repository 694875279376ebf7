// pain.md §3.1: scheduling and placement.
import {
  excludesVirtual,
  LEGACY_TAINT_KEY,
  list,
  obj,
  selectsVirtual,
  strings,
  TAINT_KEY,
  tolerates,
  toleratesTaint,
} from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { hit, specAt } from './util.js';

const TOLERATION = `{key: ${TAINT_KEY}, operator: Exists, effect: NoSchedule}`;

export const schedulingRules: PodRule[] = [
  {
    id: 'LNT-SCH-001',
    title: 'Selects the virtual node without tolerating its taint',
    severity: { v1: 'fail', v2: 'fail' },
    help: `The virtual node carries the taint ${TAINT_KEY}=azure:NoSchedule. A pod that selects it (nodeSelector or required node affinity) but does not tolerate the taint stays Pending.`,
    evidence: 'azure-aci main.go (taint); virtual-kubelet/azure-aci#106',
    check(spec, ctx) {
      if (!selectsVirtual(spec) || tolerates(spec)) return [];
      const where =
        spec.tolerations !== undefined
          ? ['tolerations']
          : spec.nodeSelector !== undefined
            ? ['nodeSelector']
            : ['affinity'];
      return [
        hit(
          specAt(ctx, ...where),
          `The pod selects the virtual node but does not tolerate its taint ${TAINT_KEY}=azure:NoSchedule; it will stay Pending.`,
          `Add the toleration ${TOLERATION} to the pod spec.`,
        ),
      ];
    },
  },
  {
    id: 'LNT-SCH-002',
    title: 'kubernetes.io/os as the only selector for the virtual node',
    severity: { v1: 'warn' },
    help: 'Older v1 virtual nodes carry only beta.kubernetes.io/os, so a pod that relies on kubernetes.io/os to match them never lands there.',
    evidence: 'MicrosoftDocs/azure-docs#104587, #109125; azure-aci PR #479',
    check(spec, ctx) {
      const sel = strings(spec.nodeSelector);
      if (sel['kubernetes.io/os'] === undefined || sel.type === 'virtual-kubelet') return [];
      return [
        hit(
          specAt(ctx, 'nodeSelector', 'kubernetes.io/os'),
          'Older virtual nodes only carry beta.kubernetes.io/os; kubernetes.io/os alone may not match them.',
          'Select the virtual node with nodeSelector type: virtual-kubelet (and kubernetes.io/role: agent).',
        ),
      ];
    },
  },
  {
    id: 'LNT-SCH-003',
    title: 'Tolerates only the legacy taint azure.com/aci',
    severity: { v1: 'fail', v2: 'fail' },
    help: `Virtual nodes have used the taint key ${TAINT_KEY} since 2019; a toleration for ${LEGACY_TAINT_KEY} alone lets nothing through.`,
    evidence: 'MicrosoftDocs/azure-docs PR #54318',
    check(spec, ctx) {
      if (tolerates(spec)) return [];
      const i = list(spec.tolerations).findIndex((t) => t.key === LEGACY_TAINT_KEY);
      if (i < 0) return [];
      return [
        hit(
          specAt(ctx, 'tolerations', i, 'key'),
          `${LEGACY_TAINT_KEY} is the legacy taint key; current virtual nodes use ${TAINT_KEY}.`,
          `Tolerate ${TAINT_KEY} instead: ${TOLERATION}.`,
        ),
      ];
    },
  },
  {
    id: 'LNT-SCH-004',
    title: 'DaemonSet that tolerates the virtual node',
    severity: { v1: 'warn', v2: 'warn' },
    help: 'DaemonSets are not supported on virtual nodes. A DaemonSet whose pods tolerate the taint (or every taint) is placed on the virtual node too, and that pod fails.',
    evidence: 'AKS virtual-nodes.md limitations; Azure/AKS#3995; fluent/fluentd-kubernetes-daemonset#1347',
    check(spec, ctx) {
      if (ctx.ownerKind !== 'DaemonSet' || excludesVirtual(spec)) return [];
      const i = list(spec.tolerations).findIndex(toleratesTaint);
      if (i < 0) return [];
      return [
        hit(
          specAt(ctx, 'tolerations', i),
          'This DaemonSet tolerates the virtual node, so a pod is placed there and fails (DaemonSets are not supported on virtual nodes).',
          'Add a required node affinity term with {key: type, operator: NotIn, values: [virtual-kubelet]}.',
        ),
      ];
    },
  },
  {
    id: 'LNT-SCH-005',
    title: 'Windows pod on the virtual node',
    severity: { v1: 'fail', v2: 'fail' },
    help: 'Virtual nodes run Linux pods only.',
    evidence: 'AKS virtual-nodes.md; virtual-nodes-v2.md',
    check(spec, ctx) {
      const sel = strings(spec.nodeSelector);
      const out: Hit[] = [];
      for (const key of ['kubernetes.io/os', 'beta.kubernetes.io/os'])
        if (sel[key] === 'windows')
          out.push(
            hit(
              specAt(ctx, 'nodeSelector', key),
              'Virtual nodes run Linux pods only; this pod selects Windows.',
              'Run Windows pods on a Windows node pool, and do not target the virtual node with them.',
            ),
          );
      const terms = list(
        obj(obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution)).nodeSelectorTerms,
      );
      terms.forEach((t, ti) =>
        list(t.matchExpressions).forEach((e, ei) => {
          const values = Array.isArray(e.values) ? e.values.map(String) : [];
          if (
            String(e.key).endsWith('kubernetes.io/os') &&
            e.operator === 'In' &&
            values.includes('windows') &&
            !values.includes('linux')
          )
            out.push(
              hit(
                specAt(
                  ctx,
                  'affinity',
                  'nodeAffinity',
                  'requiredDuringSchedulingIgnoredDuringExecution',
                  'nodeSelectorTerms',
                  ti,
                  'matchExpressions',
                  ei,
                ),
                'Virtual nodes run Linux pods only; this pod requires Windows.',
                'Run Windows pods on a Windows node pool, and do not target the virtual node with them.',
              ),
            );
        }),
      );
      return out;
    },
  },
  {
    id: 'LNT-SCH-006',
    title: 'Host namespaces (hostNetwork, hostPID, hostIPC)',
    severity: { v1: 'warn', v2: 'warn' },
    help: 'ACI has no host to share: hostNetwork, hostPID and hostIPC are silently ignored, so a workload that relies on them breaks.',
    evidence: 'azure-aci pkg/provider/aci.go (not mapped); ACI has no host access',
    check(spec, ctx) {
      return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((f) => spec[f] === true)
        .map((f) =>
          hit(
            specAt(ctx, f),
            `${f}: true is ignored on ACI (there is no host namespace to share); the workload runs without it.`,
            `Remove ${f}, or keep this workload off the virtual node.`,
          ),
        );
    },
  },
];
