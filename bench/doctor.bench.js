// vnodes doctor against the emulator at 50 ms per ARM request, on the healthy add-on and on a broken one: requests by
// operation, round-trip depth, the critical path (the longest chain of requests each starting after the one before
// ended, from the emulator's request log) and the wall time (goal: at most 1.3x the critical path). The emulator runs
// in a process of its own, as ARM and the API server would be on other machines; doctor runs in this one, after one
// warm-up run, so module loading is not counted. The machine's load average is printed beside the figures. The
// emulator's Kubernetes API server adds no latency: its requests (a round of lists, a round of logs) are in the
// totals but add ~0 to the critical path.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli.js';
import { median, sink, startEmulatorProcess, timeAsync } from './util.js';

const LATENCY = 50;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const script = fileURLToPath(new URL('./doctor-emulator.js', import.meta.url));
const cases = [
  ['doctor, healthy add-on', 'addon-enabled'],
  ['doctor, broken (missing role: the connector crash-loops)', 'missing-role'],
];

// Longest chain of requests where each starts after the previous ended: its length in requests (depth) and in ms.
function criticalPath(requests) {
  const sorted = [...requests].sort((a, b) => a.end - b.end);
  const best = [];
  sorted.forEach((r, i) => {
    best[i] = { depth: 1, ms: r.end - r.start };
    for (let j = 0; j < i; j++)
      if (sorted[j].end <= r.start + 1 && best[j].ms + (r.end - r.start) > best[i].ms)
        best[i] = { depth: best[j].depth + 1, ms: best[j].ms + (r.end - r.start) };
  });
  return best.reduce((a, b) => (b.ms > a.ms ? b : a), { depth: 0, ms: 0 });
}

for (const [label, scenario] of cases) {
  const emulator = await startEmulatorProcess([script, scenario, String(LATENCY)]);
  const results = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const out = sink();
      const { ms, result: code } = await timeAsync(() =>
        runCli(['doctor', '--cluster', 'aks-demo', '-g', 'rg-aks', '-o', 'json'], {
          env: { ...process.env, ...emulator.env },
          stdout: out,
          stderr: sink(),
        }),
      );
      emulator.send('report');
      const { arm, kubernetes } = await emulator.next('report');
      const byOperation = {};
      for (const r of arm) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
      // Run 0 is the warm-up.
      if (i > 0)
        results.push({ ms, code, doc: JSON.parse(out.text), byOperation, path: criticalPath(arm), arm, kubernetes });
    }
  } finally {
    await emulator.stop();
  }
  const ms = median(results.map((r) => r.ms));
  const path = median(results.map((r) => r.path.ms));
  const ratio = median(results.map((r) => r.ms / r.path.ms));
  const { code, doc, byOperation, kubernetes } = results[0];
  console.log(
    `${label}: exit ${code}, ${doc.counts.fail} failed; ${doc.calls.arm} ARM and ${doc.calls.kubernetes} Kubernetes requests (emulator logs: ${results[0].arm.length} ARM, ${kubernetes} Kubernetes)`,
  );
  console.log(
    `  ARM by operation: ${Object.entries(byOperation)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  round-trip depth ${results[0].path.depth}; critical path median ${path.toFixed(0)} ms; wall time median ${ms.toFixed(0)} ms = ${(ms / path).toFixed(2)}x the critical path (per-run ratios ${results.map((r) => (r.ms / r.path.ms).toFixed(2)).join(', ')}, median ${ratio.toFixed(2)}x; ${runs} warm runs at ${LATENCY} ms/ARM request; load average ${loadavg()[0].toFixed(1)})`,
  );
}
