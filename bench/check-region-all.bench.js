// check-region --all against the emulator with 50 ms per ARM request: wall time in units of one round trip, and how
// many ARM requests it made. Fewer "round trips" means better use of parallelism. The emulator runs in a process of
// its own (`vnodes emulator start`), as ARM would be on another machine.
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli.js';
import { median, sink, startEmulatorProcess, timeAsync } from './util.js';

const LATENCY = 50;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));

const emulator = await startEmulatorProcess([bin, 'emulator', 'start', '--latency', String(LATENCY), '-o', 'json']);
const results = [];
try {
  // One run first, not counted: it pays for loading the SDK modules and JIT warm-up, which are not round trips.
  for (let i = -1; i < runs; i++) {
    const out = sink();
    const { ms, result: code } = await timeAsync(() =>
      runCli(['check-region', '--all', '-o', 'json'], {
        env: { ...process.env, ...emulator.env },
        stdout: out,
        stderr: sink(),
      }),
    );
    const doc = JSON.parse(out.text);
    if (i >= 0) results.push({ ms, code, regions: doc.regions.length, requests: doc.calls.arm });
  }
} finally {
  await emulator.stop();
}
const ms = median(results.map((r) => r.ms));
const { regions, requests, code } = results[0];
const best = Math.min(...results.map((r) => r.ms));
console.log(`check-region --all: ${regions} regions, ${requests} ARM requests, exit ${code}`);
console.log(`wall time median   ${ms.toFixed(0)} ms over ${runs} runs at ${LATENCY} ms/request`);
console.log(`round trips        ${(ms / LATENCY).toFixed(1)} x ${LATENCY} ms (serial would be ${requests})`);
console.log(`best run           ${(best / LATENCY).toFixed(1)} x ${LATENCY} ms`);
