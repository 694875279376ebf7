// vnodes lint over 10,000 generated workload objects (every one targets the virtual node and trips several rules):
// from one file, from stdin (a pipe) and as 100 files of 100 objects. Each run is the real CLI, `bin/vnodes.js lint
// ... -o json > out.json`, in a child process of its own, as a user runs it: no preload, stdout into a file (checked
// afterwards: exit code 1, size, and that it parses with every finding), stdin a real pipe the parent writes. The
// wall time is the parent's clock from spawn to exit, start-up included. The CPU time is the child's own, every
// thread, as the kernel counts it for a reaped child (cutime + cstime of /proc/self/stat around each run; runs are
// sequential). Peak RSS comes from one more run per mode with a usage hook preloaded (`--import`), kept apart from
// the timed runs: Node has no per-child peak RSS. (The harness used to preload the hook into every run and collect
// stdout through spawnSync's pipe.) Prints objects per second (goal: >= 5,000), objects per CPU-second and peak RSS;
// the files mode shows memory does not grow with the findings of files already reported. The last two rows are the
// same file on the main thread alone (VNODES_LINT_WORKERS=0; on 2 or 3 cores no worker starts anyway) and with one
// worker thread beside it (VNODES_LINT_WORKERS=1), for what the worker path costs.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './util.js';

const COUNT = Number(process.env.BENCH_OBJECTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const KINDS = ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'];
const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));

/** Preloaded into the child of the memory run only: on exit, its CPU time and peak RSS (all threads) go to the file named by the env. */
const USAGE_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeFileSync } from 'node:fs';" +
      "process.on('exit', () => { const u = process.resourceUsage();" +
      ' writeFileSync(process.env.VNODES_BENCH_USAGE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,' +
      ' rssMb: u.maxRSS / 1024 })); });',
  );

/** One block-style manifest, as helm template or kustomize build print them. */
function manifest(i) {
  const kind = KINDS[i % KINDS.length];
  return `apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: app-${i}
  namespace: team-${i % 50}
  labels:
    app: app-${i}
spec:
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      nodeSelector:
        kubernetes.io/role: agent
        type: virtual-kubelet
      tolerations:
        - key: virtual-kubelet.io/provider
          operator: Exists
      containers:
        - name: app
          image: myregistry.azurecr.io/app-${i}:1.${i % 7}
          args:
            - --port
            - "8080"
          ports:
            - containerPort: 8080
          env:
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: LOG_LEVEL
              value: info
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
        - name: sidecar
          image: busybox:1.36
          command: [sh, -c, "sleep infinity"]
      volumes:
        - name: config
          configMap:
            name: app-${i}
`;
}

/** CPU ms of this process's reaped children so far (Linux: /proc/self/stat cutime + cstime, in 1/100 s), or undefined. */
function childrenCpuMs() {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * One run of the CLI, stdout into `outFile` (a real file, as `> out.json`), `input` (if any) through a pipe: wall ms,
 * the child's CPU ms, exit code and stderr. With `usageFile`, the usage hook is preloaded and its figures added.
 */
async function run(args, input, outFile, env = {}, usageFile) {
  const out = openSync(outFile, 'w');
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(usageFile ? ['--import', USAGE_HOOK] : []), bin, ...args], {
    stdio: [input === undefined ? 'ignore' : 'pipe', out, 'pipe'],
    env: { PATH: process.env.PATH, ...(usageFile ? { VNODES_BENCH_USAGE: usageFile } : {}), ...env },
  });
  closeSync(out);
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  if (input !== undefined) child.stdin.end(input);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const ms = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  const usage = usageFile ? JSON.parse(readFileSync(usageFile, 'utf8')) : {};
  return { ms, cpuMs: cpu0 === undefined ? undefined : cpu1 - cpu0, ...usage, code, stderr };
}

/** The output is what the CLI promises: one JSON document with every finding of the run. */
function checkOutput(outFile, expected) {
  const doc = JSON.parse(readFileSync(outFile, 'utf8'));
  const count = doc.findings.length;
  if (count !== doc.counts.fail + doc.counts.warn + doc.counts.info || (expected !== undefined && count !== expected))
    throw new Error(`${outFile}: ${count} findings, expected ${expected ?? 'the counts'}`);
  return count;
}

const dir = mkdtempSync(join(tmpdir(), 'vnodes-lint-bench-'));
try {
  const one = join(dir, 'all.yaml');
  const text = Array.from({ length: COUNT }, (_, i) => manifest(i)).join('---\n');
  writeFileSync(one, text);
  const many = join(dir, 'many');
  mkdirSync(many);
  const per = COUNT / 100;
  for (let f = 0; f < 100; f++)
    writeFileSync(
      join(many, `f${String(f).padStart(3, '0')}.yaml`),
      Array.from({ length: per }, (_, i) => manifest(f * per + i)).join('---\n'),
    );
  const usage = join(dir, 'usage.json');
  const outFile = join(dir, 'out.json');
  const modes = [
    ['one file', [one], undefined],
    ['stdin', ['-'], text],
    [`100 files x ${per}`, [many], undefined],
    ['one file, 1 thread', [one], undefined, { VNODES_LINT_WORKERS: '0' }],
    // What a worker thread costs where none starts by default (2 or 3 cores): compare its CPU with the row above.
    ['one file, 1 worker', [one], undefined, { VNODES_LINT_WORKERS: '1' }],
  ];
  console.log(
    `${COUNT} objects (${(text.length / 1e6).toFixed(1)} MB of YAML), each targeting the virtual node; ` +
      `bin/vnodes.js lint ... -o json > file, median of ${RUNS} runs`,
  );
  // The machine may be shared: the load says how far the wall times can be trusted.
  console.log(`${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)} at the start`);
  await run(['lint', one, '-o', 'json'], undefined, outFile); // warm the compile cache and the page cache
  const expected = checkOutput(outFile);
  for (const [label, inputs, input, env] of modes) {
    const args = ['lint', ...inputs, '-o', 'json'];
    const samples = [];
    for (let i = 0; i < RUNS; i++) {
      samples.push({ ...(await run(args, input, outFile, env)), bytes: statSync(outFile).size });
      if (i === 0) checkOutput(outFile, expected);
    }
    const memory = await run(args, input, outFile, env, usage);
    const bad = [...samples, memory].find((s) => s.code !== 1);
    if (bad) {
      console.log(`${label}: exit ${bad.code} (expected 1: the objects trip fail rules)\n${bad.stderr}`);
      process.exitCode = 1;
      continue;
    }
    if (samples.some((s) => s.bytes !== samples[0].bytes))
      throw new Error(`${label}: output size differs between runs`);
    const ms = median(samples.map((s) => s.ms));
    const cpuMs = median(samples.map((s) => s.cpuMs ?? memory.cpuMs));
    console.log(
      `${label.padEnd(18)} ${(COUNT / (ms / 1000)).toFixed(0).padStart(6)} objects/s  ${ms.toFixed(0).padStart(6)} ms wall ` +
        `(${samples.map((s) => s.ms.toFixed(0)).join(', ')})  ${(COUNT / (cpuMs / 1000)).toFixed(0)} objects per CPU-second  ` +
        `peak RSS ${memory.rssMb.toFixed(0)} MB  (${(samples[0].bytes / 1e6).toFixed(1)} MB of JSON, ${expected} findings)`,
    );
  }
  console.log('goal: >= 5,000 objects/s; peak RSS of 100 files should not exceed one file of the same objects');
  console.log('(objects per CPU-second is the figure to compare when other processes share the cores)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
