// vnodes enable on a fresh emulated cluster at 50 ms per ARM request: wall time and ARM requests by kind,
// with and without the wait for the virtual node. A fresh emulator for each run.
import { startEmulator } from '../dist/emulator/index.js';
import { runCli } from '../dist/cli.js';
import { median, sink, timeAsync } from './util.js';

const LATENCY = 50;
const runs = Number(process.env.BENCH_RUNS ?? 3);

async function measure(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // The emulator's directory replication delay is set to 0 here: it is Azure's latency, not vnodes', and would
    // otherwise dominate every figure with the PrincipalNotFound backoff.
    const emulator = await startEmulator({
      scenario: 'healthy',
      latencyMs: LATENCY,
      principalPropagationMs: 0,
      connectorReconcileMs: 200,
    });
    const { ms, result: code } = await timeAsync(() =>
      runCli(['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--poll-interval', '250ms', ...args], {
        env: { ...process.env, ...emulator.env(), HOME: '/nonexistent', KUBECONFIG: '' },
        stdout: sink(),
        stderr: sink(),
      }),
    );
    const count = (kind) => emulator.requests.count({ kind });
    samples.push({
      ms,
      code,
      total: emulator.requests.count(),
      reads: count('read'),
      writes: count('write'),
      polls: count('poll'),
      actions: count('action'),
    });
    await emulator.close();
  }
  return samples;
}

for (const [label, args] of [
  ['enable --no-wait', ['--no-wait']],
  ['enable (with wait)', []],
]) {
  const samples = await measure(args);
  const s = samples[0];
  const ms = median(samples.map((x) => x.ms));
  console.log(
    `${label.padEnd(20)} exit ${s.code}  median ${ms.toFixed(0)} ms (${(ms / LATENCY).toFixed(1)} round trips)  ARM requests ${s.total}: ${s.reads} reads, ${s.writes} writes, ${s.polls} polls, ${s.actions} actions`,
  );
}
