// vnodes lint over 10,000 generated workload objects (every one targets the virtual node and trips several rules):
// from one file, from stdin (a pipe) and as 100 files of 100 objects. Each run is the real CLI, `bin/vnodes.js lint
// ... -o json`, in a child process of its own, so the figures include start-up, the real stdout and any worker
// threads; the wall time is the parent's, CPU time and peak RSS are the child's own (every thread), read as it exits.
// Prints objects per second (goal: >= 5,000), objects per CPU-second and peak RSS; the files mode shows memory does
// not grow with the findings of files already reported. Large inputs are linted on every core (worker threads); the
// last row is the same file on the main thread alone (VNODES_LINT_WORKERS=0), for comparison.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './util.js';

const COUNT = Number(process.env.BENCH_OBJECTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const KINDS = ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'];
const bin = fileURLToPath(new URL('../bin/vnodes.js', import.meta.url));

/** Preloaded into the child: on exit, its CPU time and peak RSS (all threads) go to the file named by the env. */
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

/** One run of the CLI: wall ms (the parent's clock), the child's CPU ms and peak RSS, bytes of stdout, exit code. */
function run(args, input, usageFile, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', USAGE_HOOK, bin, ...args], {
    input,
    maxBuffer: 1 << 30,
    env: { PATH: process.env.PATH, VNODES_BENCH_USAGE: usageFile, ...env },
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return { ms, ...usage, bytes: r.stdout.length, code: r.status, stderr: r.stderr.toString() };
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
  const modes = [
    ['one file', [one], undefined],
    ['stdin', ['-'], text],
    [`100 files x ${per}`, [many], undefined],
    ['one file, 1 thread', [one], undefined, { VNODES_LINT_WORKERS: '0' }],
  ];
  console.log(
    `${COUNT} objects (${(text.length / 1e6).toFixed(1)} MB of YAML), each targeting the virtual node; ` +
      `bin/vnodes.js lint ... -o json, median of ${RUNS} runs`,
  );
  // The machine may be shared: the load says how far the wall times can be trusted.
  console.log(`${availableParallelism()} cores, load average ${loadavg()[0].toFixed(2)} at the start`);
  run(['lint', one, '-o', 'json'], undefined, usage); // warm the compile cache and the page cache
  for (const [label, inputs, input, env] of modes) {
    const samples = [];
    for (let i = 0; i < RUNS; i++) samples.push(run(['lint', ...inputs, '-o', 'json'], input, usage, env));
    const bad = samples.find((s) => s.code !== 1);
    if (bad) {
      console.log(`${label}: exit ${bad.code} (expected 1: the objects trip fail rules)\n${bad.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const ms = median(samples.map((s) => s.ms));
    const cpuMs = median(samples.map((s) => s.cpuMs));
    const rssMb = Math.max(...samples.map((s) => s.rssMb));
    console.log(
      `${label.padEnd(16)} ${(COUNT / (ms / 1000)).toFixed(0).padStart(6)} objects/s  ${ms.toFixed(0).padStart(6)} ms wall  ` +
        `(${(COUNT / (cpuMs / 1000)).toFixed(0)} objects per CPU-second)  peak RSS ${rssMb.toFixed(0)} MB  ` +
        `(${(samples[0].bytes / 1e6).toFixed(1)} MB of JSON)`,
    );
  }
  console.log('goal: >= 5,000 objects/s; peak RSS of 100 files should not exceed one file of the same objects');
  console.log('(objects per CPU-second is the figure to compare when other processes share the cores)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
