// provider run at scale against the emulator with 50 ms per ARM request: N pods (PODS, default 1000) bound to the
// provider's node; time until all are Running; ARM calls by operation per sync interval; ARM reads per pod per minute
// in steady state next to azure-aci's ~24 (research/azure-aci.md §4.5); Kubernetes status writes per minute; peak RSS.
// The last line is one JSON object with the figures. Knobs: PODS, LATENCY_MS, SYNC (5s), REFRESH (60s), ARM_RATE (50),
// STEADY_MS (how long steady state is measured, default one refresh period).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startEmulator } from '../dist/emulator/index.js';
import { runCli } from '../dist/cli.js';
import { parseDuration } from '../dist/util/duration.js';

const PODS = Number(process.env.PODS ?? 1000);
const LATENCY = Number(process.env.LATENCY_MS ?? 50);
const SYNC = process.env.SYNC ?? '5s';
const REFRESH = process.env.REFRESH ?? '60s';
const ARM_RATE = Number(process.env.ARM_RATE ?? 50);
const STEADY_MS = Number(process.env.STEADY_MS ?? parseDuration(REFRESH, 'REFRESH'));
const NODE = 'vnodes-bench';
const syncMs = parseDuration(SYNC, 'SYNC');

let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
const emulator = await startEmulator({ scenario: 'aci-scale', latencyMs: LATENCY, requestLogLimit: 5_000_000 });
const kubeApi = await emulator.kube();
const kc = new KubeConfig();
kc.loadFromString(kubeApi.kubeconfig());
const core = kc.makeApiClient(CoreV1Api);
const rssBefore = process.memoryUsage().rss;

// The provider's own NDJSON stream tells when each pod's status was written, and with which phase.
const phase = new Map();
/** GETs by the sync's reason (new, changed, transition, refresh), reset when steady state starts. */
let reasons = {};
/** The last few provider events of each pod, shown for pods that never get there. */
const history = new Map();
let statusWrites = 0;
let partial = '';
const stdout = {
  isTTY: false,
  write(chunk) {
    partial += chunk;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      const e = JSON.parse(line);
      if (e.pod) history.set(e.pod, [...(history.get(e.pod) ?? []).slice(-7), e]);
      if (e.event === 'sync') for (const [k, v] of Object.entries(e.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
      if (e.event === 'status-written') {
        statusWrites++;
        phase.set(e.pod, e.phase);
      }
    }
  },
};
let stderr = '';
const controller = new AbortController();
const provider = runCli(
  [
    'provider',
    'run',
    '--foreground',
    '--cluster',
    'aks-demo',
    '-g',
    'rg-aks',
    '--node-name',
    NODE,
    '--sync-interval',
    SYNC,
    '--refresh-interval',
    REFRESH,
    '--arm-rate',
    String(ARM_RATE),
    '--arm-concurrency',
    '64',
    '--keep',
    '-o',
    'json',
  ],
  {
    env: { ...process.env, ...emulator.env() },
    stdout,
    stderr: { write: (s) => (stderr += s) },
    signal: controller.signal,
  },
);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (!(await core.listNode()).items.some((n) => n.metadata?.name === NODE)) await sleep(100);

const t0 = performance.now();
const names = Array.from({ length: PODS }, (_, i) => `bench-${i}`);
const body = (name) => ({
  metadata: { name },
  spec: {
    nodeName: NODE,
    tolerations: [{ operator: 'Exists' }],
    containers: [
      {
        name: 'app',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
  },
});
// On a loaded machine a create can time out; it is retried (a 409 means an earlier try got through).
async function create(name) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await core.createNamespacedPod({ namespace: 'default', body: body(name) });
    } catch (error) {
      if (error?.code === 409) return;
      if (attempt >= 5) throw error;
      await sleep(1000);
    }
  }
}
for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map(create));
const createdMs = performance.now() - t0;
const running = () => names.filter((n) => phase.get(`default/${n}`) === 'Running').length;
let last = -1;
let progressAt = performance.now();
let stalled = false;
while (running() < PODS) {
  await sleep(1000);
  const now = running();
  if (now !== last) {
    process.stderr.write(`  ${now}/${PODS} Running after ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    progressAt = performance.now();
  }
  last = now;
  if (performance.now() - progressAt > 60_000) {
    stalled = true;
    const stuck = names.filter((n) => phase.get(`default/${n}`) !== 'Running');
    process.stderr.write(`  no progress for 60 s; ${stuck.length} pod(s) not Running, e.g.:\n`);
    for (const n of stuck.slice(0, 3))
      process.stderr.write(`    ${n}: ${JSON.stringify(history.get(`default/${n}`) ?? [])}\n`);
    break;
  }
}
const allRunningMs = performance.now() - t0;

// Steady state: nothing changes; count what the provider asks of ARM and writes to Kubernetes over STEADY_MS.
const ops = () => {
  const byOp = {};
  for (const e of emulator.requests.entries)
    if (/ContainerGroups|Containers_|Location_/i.test(e.operation)) byOp[e.operation] = (byOp[e.operation] ?? 0) + 1;
  return byOp;
};
// The last pods' first reads after Running are still transitions: one sync interval more, then measure.
await sleep(2 * syncMs);
const armBefore = ops();
reasons = {};
const writesBefore = statusWrites;
const s0 = performance.now();
await sleep(STEADY_MS);
const steadyMs = performance.now() - s0;
const armAfter = ops();
const steadyReasons = reasons;
const steady = Object.fromEntries(
  Object.keys(armAfter)
    .map((k) => [k, (armAfter[k] ?? 0) - (armBefore[k] ?? 0)])
    .filter(([, v]) => v > 0),
);
const intervals = steadyMs / syncMs;
const perInterval = Object.fromEntries(Object.entries(steady).map(([k, v]) => [k, Number((v / intervals).toFixed(2))]));
const reads = (steady.ContainerGroups_Get ?? 0) + (steady.ContainerGroups_ListByResourceGroup ?? 0);
const readsPerPodMinute = reads / PODS / (steadyMs / 60_000);
const writesPerMinute = (statusWrites - writesBefore) / (steadyMs / 60_000);
const rampWritesPerMinute = writesBefore / (allRunningMs / 60_000);

controller.abort();
await provider;
clearInterval(rssTimer);
await emulator.close();

const mb = (b) => Math.round(b / 2 ** 20);
console.log(
  `provider run: ${PODS} pods at ${LATENCY} ms per ARM request, sync ${SYNC}, refresh ${REFRESH}, ARM rate ${ARM_RATE}/s`,
);
console.log(`created (API)      ${(createdMs / 1000).toFixed(1)} s`);
console.log(`all Running        ${(allRunningMs / 1000).toFixed(1)} s`);
console.log(
  `steady ARM calls   per ${SYNC} interval: ${
    Object.entries(perInterval)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  }`,
);
console.log(
  `steady ARM reads   ${readsPerPodMinute.toFixed(2)} per pod per minute (azure-aci: ~24; goal <= 2.4), ${(reads / (steadyMs / 1000)).toFixed(1)}/s in all`,
);
console.log(
  `status writes      ${rampWritesPerMinute.toFixed(0)}/min while starting, ${writesPerMinute.toFixed(1)}/min steady`,
);
console.log(
  `peak RSS           ${mb(peakRss)} MiB (emulator in the same process; ${mb(peakRss - rssBefore)} MiB above the idle emulator)`,
);
console.log(
  JSON.stringify({
    bench: 'provider',
    pods: PODS,
    latencyMs: LATENCY,
    syncInterval: SYNC,
    refreshInterval: REFRESH,
    armRatePerSecond: ARM_RATE,
    allRunningMs: stalled ? null : Math.round(allRunningMs),
    running: running(),
    steadyMs: Math.round(steadyMs),
    armCallsPerSyncInterval: perInterval,
    armReadsPerPodMinute: Number(readsPerPodMinute.toFixed(3)),
    steadyGetsByReason: steadyReasons,
    azureAciReadsPerPodMinute: 24,
    statusWritesPerMinuteStarting: Math.round(rampWritesPerMinute),
    statusWritesPerMinuteSteady: Number(writesPerMinute.toFixed(2)),
    peakRssMiB: mb(peakRss),
    rssAboveIdleMiB: mb(peakRss - rssBefore),
  }),
);
