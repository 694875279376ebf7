// check-network and subnet create against the emulator at 50 ms per ARM request: wall time, ARM requests by kind,
// and round trips. The reads form a chain (cluster, then its VNet), so two round trips is the floor for a check;
// subnet create adds the PUT and the long-running operation (one poll held until it ends, then the final GET).
import { startEmulator } from '../dist/emulator/index.js';
import { runCli } from '../dist/cli.js';
import { median, sink, timeAsync } from './util.js';

const LATENCY = 50;
const LRO_MS = 100;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const cases = [
  [
    'check-network',
    'healthy',
    ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks', '--subnet-name', 'virtual-node-aci'],
  ],
  [
    'check-network --subnet-name aks-subnet (managed VNet; reads the NSG; fails: node subnet)',
    'managed-vnet',
    ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks', '--subnet-name', 'aks-subnet'],
  ],
  ['subnet create --dry-run', 'healthy', ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks', '--dry-run']],
  ['subnet create (new subnet)', 'healthy', ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes']],
];

for (const [label, scenario, argv] of cases) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const emulator = await startEmulator({ scenario, latencyMs: LATENCY, lroDelayMs: LRO_MS });
    const { ms, result: code } = await timeAsync(() =>
      runCli(['-o', 'json', ...argv], { env: { ...process.env, ...emulator.env() }, stdout: sink(), stderr: sink() }),
    );
    const count = (kind) => emulator.requests.count({ kind });
    results.push({
      ms,
      code,
      total: emulator.requests.count(),
      reads: count('read'),
      writes: count('write'),
      polls: count('poll'),
    });
    await emulator.close();
  }
  const ms = median(results.map((r) => r.ms));
  const { code, total, reads, writes, polls } = results[0];
  console.log(`${label}: exit ${code}, ${total} ARM requests (${reads} reads, ${writes} writes, ${polls} polls)`);
  console.log(
    `  wall time median ${ms.toFixed(0)} ms over ${runs} runs at ${LATENCY} ms/request (LRO ${LRO_MS} ms) = ${(ms / LATENCY).toFixed(1)} round trips`,
  );
}
