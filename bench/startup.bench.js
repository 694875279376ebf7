// Start-up: median of `vnodes --help` over the median of `node -e 0`, measured in the same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, time } from './util.js';

const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const sample = (args) => {
  spawnSync(process.execPath, args); // warm the compile cache and the file system
  return Array.from({ length: runs }, () => time(() => spawnSync(process.execPath, args)));
};
const baseline = median(sample(['-e', '0']));
const help = median(sample([bin, '--help']));
console.log(`node -e 0        median ${baseline.toFixed(1)} ms (${runs} runs)`);
console.log(`vnodes --help    median ${help.toFixed(1)} ms (${runs} runs)`);
console.log(`ratio            ${(help / baseline).toFixed(2)}x   (target <= 1.5x)`);
