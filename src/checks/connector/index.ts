// The connector (VN-POD-001): the v1 aci-connector-linux Deployment, its pods, their init container, events and
// logs (the previous run's too), classified with §2.1 so the user sees the cause, not "CrashLoopBackOff"; and the
// v2 infrastructure pods.
import type { V1Pod } from '@kubernetes/client-node';
import { classify, fixFor, tellingLine, type Classification } from '../classify.js';
import { defineCheck } from '../engine.js';
import { clusterNames, connectorPods, ev, ref, result, timeMs, V1, V2, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import { addonState } from '../../network/addon.js';
import type { Evidence } from '../model.js';

const LOGS = 'kubectl logs -n kube-system deploy/aci-connector-linux --all-containers --previous';
const INIT_STUCK_MS = 5 * 60_000;

const running = defineCheck({
  id: 'connector.running',
  title: 'The aci-connector-linux deployment is available',
  area: 'connector',
  tags: ['connector', ...V1],
  severity: 'P0',
  catalog: ['VN-POD-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['addon.enabled'],
  facts: ['cluster', 'kubeDeployments', 'kubePods', 'kubeEvents', 'connectorLogs'],
  run({ cluster, kubeDeployments, kubePods, kubeEvents, connectorLogs }) {
    const n = clusterNames(cluster);
    const deploy = kubeDeployments.find(
      (d) => d.metadata?.namespace === 'kube-system' && d.metadata?.name === 'aci-connector-linux',
    );
    const pods = connectorPods(kubePods);
    if (!deploy && !pods.length)
      return result(
        'fail',
        'No aci-connector-linux deployment in kube-system: AKS has not deployed the connector.',
        [ev('deployment', 'kube-system/aci-connector-linux', 'not found')],
        `Wait a few minutes after enabling; if it stays missing: vnodes disable --cluster ${n.cluster} -g ${n.group}, then vnodes enable --cluster ${n.cluster} -g ${n.group}`,
      );
    const evidence: Evidence[] = [
      ev(
        'status.availableReplicas',
        deploy?.status?.availableReplicas ?? 0,
        'deployment kube-system/aci-connector-linux',
      ),
    ];
    let restarts = 0;
    const texts: { text: string; where: string }[] = [];
    let waiting: string | undefined;
    let oom = false;
    for (const pod of pods) {
      for (const s of pod.status?.containerStatuses ?? []) {
        restarts += s.restartCount ?? 0;
        waiting ??= s.state?.waiting?.reason;
        if (s.lastState?.terminated?.reason === 'OOMKilled' || s.state?.terminated?.reason === 'OOMKilled') oom = true;
        const message = s.lastState?.terminated?.message ?? s.state?.terminated?.message;
        if (message)
          texts.push({
            text: message,
            where: `pod ${ref(pod)} containerStatuses[${s.name}].lastState.terminated.message`,
          });
        evidence.push(
          ev(
            `containerStatuses[${s.name}].state`,
            s.state?.waiting?.reason ?? (s.state?.running ? 'Running' : s.state?.terminated?.reason),
            `pod ${ref(pod)}`,
          ),
        );
        evidence.push(ev(`containerStatuses[${s.name}].restartCount`, s.restartCount ?? 0, `pod ${ref(pod)}`));
      }
    }
    for (const log of connectorLogs) {
      for (const [which, text] of [
        ['previous', log.previous],
        ['current', log.current],
      ] as const) {
        const line = tellingLine(text);
        if (line) texts.push({ text: line, where: `logs ${log.namespace}/${log.pod} (${log.container}, ${which})` });
      }
    }
    const names = new Set(pods.map((p) => p.metadata?.name));
    for (const e of kubeEvents)
      if (
        e.type === 'Warning' &&
        e.involvedObject?.namespace === 'kube-system' &&
        names.has(e.involvedObject.name) &&
        e.reason !== 'BackOff' &&
        e.message
      )
        texts.push({ text: e.message, where: `event ${e.reason} on pod ${e.involvedObject.name}` });
    const healthy = pods.length > 0 && pods.every(isReady) && (deploy?.status?.availableReplicas ?? 1) > 0;
    if (healthy && !oom) {
      if (restarts > 3)
        return result(
          'warn',
          `The connector runs, but restarted ${restarts} times.`,
          evidence,
          `kubectl logs -n kube-system deploy/aci-connector-linux --previous`,
        );
      return result(
        'pass',
        `The connector runs (${pods.length} pod${pods.length === 1 ? '' : 's'}, ${restarts} restart${restarts === 1 ? '' : 's'}).`,
        evidence,
      );
    }
    const state = oom ? 'OOMKilled' : (waiting ?? (pods.length ? 'not ready' : 'no pod'));
    const found: { text: string; where: string; c?: Classification } | undefined =
      texts.map((t) => ({ ...t, c: classify(t.text) })).find((t) => t.c) ?? texts[0];
    // The cause first: it is what people read under the summary.
    if (found) evidence.unshift(ev(found.where, found.text));
    const addon = addonState(cluster);
    if (found?.c) {
      evidence.splice(1, 0, ev('classifiedAs', `${found.c.check} (${found.c.catalog})`));
      return result(
        'fail',
        `The connector is ${state} (${restarts} restarts): ${found.c.cause} → ${found.c.check}.`,
        evidence,
        fixFor(found.c, {
          cluster: n.cluster,
          group: n.group,
          nodeGroup: n.nodeGroup,
          ...(addon.subnetName ? { subnet: addon.subnetName } : {}),
          namespace: 'kube-system',
          pod: pods[0]?.metadata?.name ?? '<pod>',
        }),
      );
    }
    return result(
      'fail',
      `The connector is ${state} (${restarts} restarts)${found ? `: ${found.text.split('\n')[0]}` : ''}.`,
      evidence,
      oom
        ? 'The connector ran out of memory: AKS manages its limits; open a support request, and collect: ' + LOGS
        : `Collect the full logs: ${LOGS}`,
    );
  },
});

// The classified cause of a message, as " (cause → check)", or nothing.
const cause = (message: string | undefined): string => {
  const c = classify(message);
  return c ? ` (${c.cause} → ${c.check})` : '';
};

function isReady(pod: V1Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready);
}

const init = defineCheck({
  id: 'connector.init',
  title: "The connector's init-validation container finished",
  area: 'connector',
  tags: ['connector', ...V1],
  severity: 'P0',
  catalog: ['VN-POD-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['addon.enabled'],
  facts: ['kubePods', 'kubeEvents'],
  run({ kubePods, kubeEvents }) {
    const pods = connectorPods(kubePods);
    const evidence: Evidence[] = [];
    for (const pod of pods) {
      for (const s of pod.status?.initContainerStatuses ?? []) {
        evidence.push(
          ev(
            `initContainerStatuses[${s.name}].state`,
            s.state?.waiting?.reason ?? (s.state?.running ? 'Running' : s.state?.terminated?.reason),
            `pod ${ref(pod)}`,
          ),
        );
        const started = timeMs(s.state?.running?.startedAt);
        // Between restarts kubelet shows Init:CrashLoopBackOff: the failed run is then the last state.
        const ended = s.state?.terminated ?? (s.state?.waiting ? s.lastState?.terminated : undefined);
        if (ended && ended.exitCode !== 0) {
          const why = ended.message?.trim() || ended.reason || `exit ${ended.exitCode}`;
          const c = classify(why);
          if (ended.message) evidence.push(ev(`initContainerStatuses[${s.name}].lastState.terminated.message`, why));
          return result(
            'fail',
            `init-validation failed${c ? ` (${c.cause} → ${c.check})` : ''}: ${why}`,
            evidence,
            `kubectl logs -n kube-system ${pod.metadata?.name} -c ${s.name}`,
          );
        }
        if (started !== undefined && Date.now() - started > INIT_STUCK_MS) {
          const failed = kubeEvents.find(
            (e) => e.reason === 'InitFailed' && e.involvedObject?.name === pod.metadata?.name,
          );
          if (failed?.message) evidence.push(ev('event InitFailed', failed.message));
          const c = classify(failed?.message);
          return result(
            'fail',
            `init-validation has run for over 5 minutes${c ? `: ${c.cause} → ${c.check}` : ''}.`,
            evidence,
            `kubectl logs -n kube-system ${pod.metadata?.name} -c ${s.name}`,
          );
        }
      }
    }
    if (!evidence.length)
      return result('pass', 'The connector has no init container (or none ran yet): nothing to wait for.', evidence);
    return result('pass', 'init-validation is done.', evidence);
  },
});

const v2Pods = defineCheck({
  id: 'connector.v2-pods',
  title: 'The virtual nodes v2 infrastructure pods run',
  area: 'connector',
  tags: ['connector', ...V2],
  severity: 'P0',
  catalog: ['VN-POD-001'],
  docs: 'https://learn.microsoft.com/troubleshoot/azure/azure-container-instances/management/troubleshoot-microsoft-virtualnodes-extension',
  requires: ['stack.detected'],
  facts: ['kubePods', 'kubeStatefulSets'],
  run({ kubePods, kubeStatefulSets }) {
    const namespaces = new Set([
      'vn-system',
      'vn2',
      ...kubeStatefulSets
        .filter((s) => /virtualnode/i.test(s.metadata?.name ?? ''))
        .map((s) => s.metadata?.namespace ?? ''),
    ]);
    const pods = kubePods.filter((p) => namespaces.has(p.metadata?.namespace ?? ''));
    const bad = pods.filter((p) => !isReady(p));
    const evidence = pods.map((p) => ev(`pod ${ref(p)}.status.phase`, p.status?.phase));
    if (!pods.length)
      return result(
        'fail',
        'No virtual nodes v2 pods found in vn-system or vn2.',
        evidence,
        'kubectl get pods -A -l app.kubernetes.io/name=virtualnode',
      );
    if (!bad.length) return result('pass', `${pods.length} v2 pod(s) run.`, evidence);
    const first = bad[0]!;
    const message = first.status?.containerStatuses
      ?.map((s) => s.lastState?.terminated?.message ?? s.state?.waiting?.message)
      .find(Boolean);
    return result(
      'fail',
      `${bad.length} v2 pod(s) not ready${message ? `: ${message.split('\n')[0]}` : ''}${cause(message)}.`,
      evidence,
      `kubectl describe pod -n ${first.metadata?.namespace} ${first.metadata?.name}; kubectl logs -n ${first.metadata?.namespace} ${first.metadata?.name} --all-containers`,
    );
  },
});

/** Connector checks. */
export const connectorChecks = [running, init, v2Pods];
