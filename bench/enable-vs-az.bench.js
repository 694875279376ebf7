// The same job done by the Azure CLI and by vnodes on the same emulated Azure (healthy, 50 ms per ARM request, a
// fresh emulator per run, the ACI subnet created beforehand outside the timed part): wall time and ARM requests by
// kind for `az aks enable-addons --addons virtual-node`, `vnodes enable --no-wait` and `vnodes enable` (with the
// wait for the virtual node, default poll interval), each spawned as users run them; then start-up of
// `az --version` against `vnodes --version`. Prints figures only. Skipped when `az` is not installed.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli.js';
import { prepareAzConfig, startEmulator } from '../dist/emulator/index.js';
import { median, sink, timeAsync } from './util.js';

const LATENCY = 50;
const SUBNET = 'virtual-node-aci';
const runs = Number(process.env.BENCH_RUNS ?? 3);
const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));
const onPath = (name) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

if (!onPath('az')) {
  console.log('skipped: the Azure CLI (az) is not on PATH');
  process.exit(0);
}

// A scratch HOME and one Azure CLI config directory for every run (prepareAzConfig rewrites its own directory, and
// az's command index built there by the warm-up stays, so no run pays for it). Never the user's ~/.azure.
const home = mkdtempSync(join(tmpdir(), 'vnodes-bench-az-'));
const azDir = join(home, 'azure');
const base = { PATH: process.env.PATH, HOME: home };

// Asynchronous: the emulator answers from this very process, so a synchronous spawn would deadlock it.
async function spawnTimed(file, args, env) {
  const { ms, result } = await timeAsync(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stderr }));
      }),
  );
  if (result.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return ms;
}

async function medianOf(n, fn) {
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await fn());
  return median(samples);
}

const contenders = [
  {
    label: 'az aks enable-addons',
    cmd: (env) => [
      'az',
      [
        'aks',
        'enable-addons',
        '-g',
        'rg-aks',
        '-n',
        'aks-demo',
        '--addons',
        'virtual-node',
        '--subnet-name',
        SUBNET,
        '-o',
        'none',
        '--only-show-errors',
      ],
      env.az,
    ],
  },
  {
    label: 'vnodes enable --no-wait',
    cmd: (env) => [
      process.execPath,
      [bin, 'enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--subnet-name', SUBNET, '--yes', '--no-wait'],
      env.vnodes,
    ],
  },
  {
    label: 'vnodes enable (wait)',
    cmd: (env) => [
      process.execPath,
      [bin, 'enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--subnet-name', SUBNET, '--yes'],
      env.vnodes,
    ],
  },
];

async function once(contender) {
  // Directory replication is Azure's delay, not the clients': 0 here, as in enable.bench.js.
  const emulator = await startEmulator({
    scenario: 'healthy',
    latencyMs: LATENCY,
    principalPropagationMs: 0,
    connectorReconcileMs: 200,
  });
  try {
    const env = {
      vnodes: { ...base, KUBECONFIG: '', ...emulator.env() },
      az: { ...base, ...(await prepareAzConfig(azDir, emulator)) },
    };
    const setup = await runCli(
      ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks', '--name', SUBNET, '--yes'],
      { env: env.vnodes, stdout: sink(), stderr: sink() },
    );
    if (setup !== 0) throw new Error(`vnodes subnet create exited ${setup}`);
    emulator.requests.clear();
    const [file, args, cmdEnv] = contender.cmd(env);
    const ms = await spawnTimed(file, args, cmdEnv);
    const count = (kind) => emulator.requests.count({ kind });
    return { ms, reads: count('read'), writes: count('write'), polls: count('poll'), actions: count('action') };
  } finally {
    await emulator.close();
  }
}

try {
  // Warm-up: az builds its command index on its first command in a config directory.
  const warm = await startEmulator({ scenario: 'healthy' });
  await spawnTimed('az', ['account', 'show', '-o', 'none'], { ...base, ...(await prepareAzConfig(azDir, warm)) });
  await warm.close();

  const results = [];
  for (const contender of contenders) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(contender));
    const mid = (key) => median(samples.map((s) => s[key]));
    results.push({
      label: contender.label,
      ms: mid('ms'),
      reads: mid('reads'),
      writes: mid('writes'),
      polls: mid('polls'),
      actions: mid('actions'),
    });
  }
  const az = results[0];
  console.log(
    `healthy scenario, ${LATENCY} ms per ARM request, ACI subnet pre-created, medians of ${runs} runs (fresh emulator each)`,
  );
  console.log(
    `${'command'.padEnd(26)}${'wall ms'.padStart(9)}${'vs az'.padStart(8)}${'reads'.padStart(7)}${'writes'.padStart(8)}${'polls'.padStart(7)}${'actions'.padStart(9)}${'ARM total'.padStart(11)}`,
  );
  for (const r of results) {
    const total = r.reads + r.writes + r.polls + r.actions;
    const ratio = `${(r.ms / az.ms).toFixed(2)}x`;
    console.log(
      `${r.label.padEnd(26)}${r.ms.toFixed(0).padStart(9)}${ratio.padStart(8)}${String(r.reads).padStart(7)}${String(r.writes).padStart(8)}${String(r.polls).padStart(7)}${String(r.actions).padStart(9)}${String(total).padStart(11)}`,
    );
  }

  const startups = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
  const azEnv = { ...base, AZURE_CONFIG_DIR: azDir };
  await spawnTimed('az', ['--version'], azEnv);
  await spawnTimed(process.execPath, [bin, '--version'], base);
  const azStart = await medianOf(startups, () => spawnTimed('az', ['--version'], azEnv));
  const vnStart = await medianOf(startups, () => spawnTimed(process.execPath, [bin, '--version'], base));
  console.log(`\nstart-up, medians of ${startups} runs`);
  console.log(`az --version              ${azStart.toFixed(0).padStart(6)} ms`);
  console.log(`vnodes --version          ${vnStart.toFixed(0).padStart(6)} ms   ${(vnStart / azStart).toFixed(2)}x az`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
