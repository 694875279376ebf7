// `vnodes provider probe`: a short-lived pod on the virtual node tests the data plane from inside ACI (DNS, the API
// server, the registry), in the manner of `cilium connectivity test` (research/pain.md VN-PROBE-001, §4: no other
// tool tests from inside ACI). The pod prints one line per step; the probe reads them through ARM (ACI's log API,
// as `provider logs` does, so it works under the add-on's connector and `provider run` alike). The pod is deleted in
// a finally, Ctrl-C included, and the probe waits until its container group is gone.
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import type { ContainerGroupsPort } from '../azure/container-groups.js';
import type { Reporter } from '../deps.js';
import type { ProbeKube } from '../kube/probe-pods.js';
import { sleep } from '../util/sleep.js';
import { podOfTags } from './names.js';
import { parseProbeLog, type ProbeStep } from './probe-results.js';
import { probePod, probePodName } from './probe-spec.js';

export interface ProbeInput {
  namespace: string;
  nodeName: string;
  image: string;
  registry: string;
  /** The node resource group: where the virtual node's container groups are. */
  resourceGroup: string;
  timeoutMs: number;
  /** How long cleanup may take before the probe says it could not confirm it. */
  cleanupTimeoutMs: number;
  pollMs: number;
}

export interface ProbeResult {
  pod: string;
  node: string;
  image: string;
  registry: string;
  containerGroup?: string;
  steps: ProbeStep[];
  ok: boolean;
  /** --dry-run: the pod it would create. */
  wouldCreate?: V1Pod;
}

export interface ProbePorts {
  kube: ProbeKube;
  aci: ContainerGroupsPort;
  reporter: Pick<Reporter, 'info' | 'debug'>;
  signal: AbortSignal;
}

/** Waiting reasons after which the pod will not run on its own (the image or the group cannot be had). */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ProviderFailed']);

/** The pod's phase and, while it waits, why: `Pending (ErrImagePull: …)`. */
function podState(pod: V1Pod): { phase: string; stuck?: string; text: string } {
  const phase = pod.status?.phase ?? 'Pending';
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  const reason = pod.status?.reason ?? waiting?.reason;
  const message = pod.status?.message ?? waiting?.message;
  const why = reason === undefined ? '' : ` (${reason}${message ? `: ${message}` : ''})`;
  return { phase, text: `${phase}${why}`, ...(reason !== undefined && STUCK.has(reason) ? { stuck: reason } : {}) };
}

const groupOf = (groups: ContainerGroup[], namespace: string, name: string): ContainerGroup | undefined =>
  groups.find((g) => {
    const ref = podOfTags(g.tags);
    return ref?.namespace === namespace && ref.name === name;
  });

/** Runs the probe; InterruptedError (exit 130) when aborted, after the cleanup. */
export async function runProbe(input: ProbeInput, ports: ProbePorts): Promise<ProbeResult> {
  const runId = randomBytes(4).toString('hex');
  const name = probePodName(runId);
  const { namespace } = input;
  const { kube, aci, reporter } = ports;
  const steps: ProbeStep[] = [];
  let group: string | undefined;
  const deadline = Date.now() + input.timeoutMs;
  const result = (): ProbeResult => ({
    pod: `${namespace}/${name}`,
    node: input.nodeName,
    image: input.image,
    registry: input.registry,
    ...(group === undefined ? {} : { containerGroup: group }),
    steps,
    ok: steps.every((s) => s.ok),
  });
  await kube.createPod(
    probePod({ name, namespace, nodeName: input.nodeName, image: input.image, registry: input.registry, runId }),
  );
  reporter.info(`probe pod ${namespace}/${name} created on ${input.nodeName}`);
  try {
    const running = await untilRunning(input, ports, name, deadline);
    steps.push(running.step);
    group = running.group;
    if (running.step.ok && group !== undefined) steps.push(...(await readSteps(input, ports, group, name, deadline)));
  } finally {
    steps.push(await cleanup(input, { kube, aci, reporter }, name, () => group));
  }
  return result();
}

/** Waits for Running (or Succeeded) and the pod's container group; a stuck or failed pod fails the step. */
async function untilRunning(
  input: ProbeInput,
  ports: ProbePorts,
  name: string,
  deadline: number,
): Promise<{ step: ProbeStep; group?: string }> {
  let last = 'Pending';
  for (;;) {
    const pod = await ports.kube.getPod(input.namespace, name);
    const state = pod === undefined ? { phase: 'Gone', text: 'the pod was deleted' } : podState(pod);
    last = state.text;
    if (state.phase === 'Running' || state.phase === 'Succeeded') {
      const found = groupOf(await ports.aci.list(input.resourceGroup), input.namespace, name);
      if (found?.name !== undefined) {
        return {
          step: { step: 'running', ok: true, evidence: `${state.phase}, container group ${found.name}` },
          group: found.name,
        };
      }
    } else if (state.phase === 'Failed' || state.phase === 'Gone' || 'stuck' in state) {
      return { step: { step: 'running', ok: false, evidence: state.text } };
    }
    if (Date.now() >= deadline) return { step: { step: 'running', ok: false, evidence: `timed out: still ${last}` } };
    await sleep(input.pollMs, ports.signal);
  }
}

/** Reads the group's log until the script's `done` line (or the deadline) and turns it into step results. */
async function readSteps(
  input: ProbeInput,
  ports: ProbePorts,
  group: string,
  name: string,
  deadline: number,
): Promise<ProbeStep[]> {
  for (;;) {
    const text = await ports.aci.logs(input.resourceGroup, group, 'probe', {});
    const parsed = parseProbeLog(text);
    const pod = await ports.kube.getPod(input.namespace, name);
    const ended = pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed';
    if (parsed.done || ended || Date.now() >= deadline) return parsed.steps;
    await sleep(input.pollMs, ports.signal);
  }
}

/**
 * Deletes the pod (never under the run's signal: Ctrl-C must not stop the cleanup) and waits until the pod and its
 * container group are gone, or says it could not confirm that.
 */
async function cleanup(
  input: ProbeInput,
  ports: Omit<ProbePorts, 'signal'>,
  name: string,
  groupName: () => string | undefined,
): Promise<ProbeStep> {
  const quiet = new AbortController().signal;
  const until = Date.now() + input.cleanupTimeoutMs;
  try {
    await ports.kube.deletePod(input.namespace, name);
    for (;;) {
      const pod = await ports.kube.getPod(input.namespace, name);
      const groups = await ports.aci.list(input.resourceGroup);
      const group = groupName() ?? groupOf(groups, input.namespace, name)?.name;
      const left = group !== undefined && groups.some((g) => g.name === group);
      if (pod === undefined && !left) {
        return {
          step: 'cleanup',
          ok: true,
          evidence: group === undefined ? 'pod deleted' : `pod deleted, container group ${group} gone`,
        };
      }
      if (Date.now() >= until) {
        const what = [pod === undefined ? '' : 'the pod', left ? `container group ${group}` : ''].filter(Boolean);
        return { step: 'cleanup', ok: false, evidence: `could not confirm: ${what.join(' and ')} still there` };
      }
      await sleep(input.pollMs, quiet);
    }
  } catch (error) {
    ports.reporter.debug(`probe cleanup: ${String(error)}`);
    return { step: 'cleanup', ok: false, evidence: `could not confirm: ${(error as Error).message}` };
  }
}
