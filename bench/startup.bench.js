// Start-up: medians of `vnodes --help` and `vnodes check-region --help` over the median of `node -e 0`, measured in
// the same run on the same Node. The samples are interleaved so that a busy machine slows all three alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, time } from './util.js';

const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const cases = [
  ['node -e 0', ['-e', '0']],
  ['vnodes --help', [bin, '--help']],
  ['vnodes check-region --help', [bin, 'check-region', '--help']],
];
const samples = cases.map(() => []);
for (const [, args] of cases) spawnSync(process.execPath, args); // warm the compile cache and the file system
for (let i = 0; i < runs; i++)
  cases.forEach(([, args], c) => samples[c].push(time(() => spawnSync(process.execPath, args))));
const medians = samples.map(median);
cases.forEach(([name], c) => console.log(`${name.padEnd(28)} median ${medians[c].toFixed(1)} ms (${runs} runs)`));
for (let c = 1; c < cases.length; c++)
  console.log(`ratio ${cases[c][0].padEnd(22)} ${(medians[c] / medians[0]).toFixed(2)}x   (target <= 1.5x)`);
