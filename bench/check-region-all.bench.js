// check-region --all against the emulator with 50 ms per ARM request: wall time in units of one round trip,
// and how many ARM requests it made. Fewer "round trips" means better use of parallelism.
import { startEmulator } from '../dist/emulator/index.js';
import { runCli } from '../dist/cli.js';
import { median, sink, timeAsync } from './util.js';

const LATENCY = 50;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const results = [];
// One run first, not counted: it pays for loading the SDK modules and JIT warm-up, which are not round trips.
for (let i = -1; i < runs; i++) {
  const emulator = await startEmulator({ scenario: 'healthy', latencyMs: LATENCY });
  const out = sink();
  const { ms, result: code } = await timeAsync(() =>
    runCli(['check-region', '--all', '-o', 'json'], {
      env: { ...process.env, ...emulator.env() },
      stdout: out,
      stderr: sink(),
    }),
  );
  const regions = JSON.parse(out.text).regions.length;
  if (i >= 0) results.push({ ms, code, regions, requests: emulator.requests.count() });
  await emulator.close();
}
const ms = median(results.map((r) => r.ms));
const { regions, requests, code } = results[0];
console.log(`check-region --all: ${regions} regions, ${requests} ARM requests, exit ${code}`);
console.log(`wall time median   ${ms.toFixed(0)} ms over ${runs} runs at ${LATENCY} ms/request`);
const best = Math.min(...results.map((r) => r.ms));
console.log(`round trips        ${(ms / LATENCY).toFixed(1)} x ${LATENCY} ms (serial would be ${requests})`);
console.log(
  `best run           ${(best / LATENCY).toFixed(1)} x ${LATENCY} ms (CPU contention only adds to the median)`,
);
