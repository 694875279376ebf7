// Waiting for the add-on to come up: the virtual node Ready and the connector pod Running. AKS reports the PUT
// as Succeeded long before that, and the Azure CLI stops there; this is the part users were left to guess.
import type { CoreV1Event } from '@kubernetes/client-node';
import { VnodesError } from '../errors.js';
import { listEvents, listPods, readNode, type KubeClient } from '../kube/reads.js';
import type { Reporter } from '../deps.js';
import { sleep } from '../util/sleep.js';
import {
  CONNECTOR_SELECTOR,
  VIRTUAL_NODE_NAME,
  connectorHealth,
  nodeHealth,
  type ConnectorHealth,
  type NodeHealth,
} from './health.js';

/** What the wait saw last. */
export interface WaitResult {
  node: NodeHealth;
  connector: ConnectorHealth;
  waitedMs: number;
}

/** Reads the virtual node and the connector pods (with their events) once. */
export async function readAddonHealth(kube: KubeClient): Promise<Omit<WaitResult, 'waitedMs'>> {
  const [node, pods] = await Promise.all([
    readNode(kube, VIRTUAL_NODE_NAME),
    listPods(kube, 'listing the aci-connector-linux pods', {
      namespace: 'kube-system',
      labelSelector: CONNECTOR_SELECTOR,
    }),
  ]);
  const connector = connectorHealth(pods);
  let events: CoreV1Event[] = [];
  if (!connector.running && pods[0]?.metadata?.name) {
    const name = pods[0].metadata.name;
    events = await listEvents(kube, 'reading connector events', 'kube-system', `involvedObject.name=${name}`);
  }
  return { node: nodeHealth(node), connector: events.length ? connectorHealth(pods, events) : connector };
}

/** Polls until the node is Ready and the connector Running, or the timeout passes (exit 1 with a diagnosis). */
export async function waitForVirtualNode(input: {
  kube: KubeClient;
  timeoutMs: number;
  pollMs: number;
  reporter: Reporter;
  signal: AbortSignal;
  cluster: string;
  group: string;
}): Promise<WaitResult> {
  const t0 = performance.now();
  return input.reporter.step(`Waiting for node ${VIRTUAL_NODE_NAME} to be Ready`, async (update) => {
    for (;;) {
      const seen = await readAddonHealth(input.kube);
      const waitedMs = Math.round(performance.now() - t0);
      if (seen.node.ready && seen.connector.running) return { ...seen, waitedMs };
      update(describe(seen));
      if (waitedMs >= input.timeoutMs) throw timeoutError(seen, input);
      await sleep(Math.min(input.pollMs, Math.max(0, input.timeoutMs - waitedMs)), input.signal);
    }
  });
}

function describe(seen: Omit<WaitResult, 'waitedMs'>): string {
  const node = seen.node.present ? (seen.node.ready ? 'node Ready' : 'node NotReady') : 'no node yet';
  const pod =
    seen.connector.pods === 0
      ? 'no connector pod yet'
      : seen.connector.running
        ? 'connector Running'
        : `connector ${seen.connector.waitingReason ?? 'not ready'}`;
  return `${node}, ${pod}`;
}

function timeoutError(
  seen: Omit<WaitResult, 'waitedMs'>,
  input: { timeoutMs: number; cluster: string; group: string },
): VnodesError {
  const details = [
    `Last seen: ${describe(seen)}${seen.connector.restarts ? `, ${seen.connector.restarts} restart(s)` : ''}.`,
  ];
  if (seen.connector.message) details.push(`Connector error: ${seen.connector.message.split('\n')[0]}`);
  const permission = /authoriz|forbidden|does not have/i.test(seen.connector.message ?? '');
  return new VnodesError(`The virtual node was not Ready after ${Math.round(input.timeoutMs / 1000)} s.`, {
    code: 'VNODES_WAIT_TIMEOUT',
    details,
    remediation: permission
      ? `The add-on identity lacks rights on the ACI subnet: re-run vnodes enable --cluster ${input.cluster} -g ${input.group} (it grants Network Contributor), then vnodes status.`
      : `Azure's part is done; see what the connector says: kubectl -n kube-system logs -l ${CONNECTOR_SELECTOR}, and vnodes status --cluster ${input.cluster} -g ${input.group}. Re-running enable resumes the wait.`,
  });
}
