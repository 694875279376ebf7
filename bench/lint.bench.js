// vnodes lint over 10,000 generated workload objects (every one targets the virtual node and trips several rules):
// from one file, from stdin, and as 100 files of 100 objects, each mode in a fresh process so peak RSS is its own.
// Prints objects per second (goal: >= 5,000) and peak RSS; the files mode shows memory does not grow with the
// findings of files already reported. Output goes to a counting sink, so the figures are lint's, not a buffer's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const COUNT = Number(process.env.BENCH_OBJECTS ?? 10_000);
const KINDS = ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'];

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

async function child(mode, path) {
  const { runCli } = await import('../dist/cli.js');
  let bytes = 0;
  const out = { write: (s) => void (bytes += s.length), isTTY: false };
  const err = { write: () => {}, isTTY: false };
  const args = mode === 'stdin' ? ['lint', '-', '-o', 'json'] : ['lint', path, '-o', 'json'];
  const stdin = mode === 'stdin' ? Readable.from([readFileSync(path, 'utf8')]) : undefined;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await runCli(args, { env: { PATH: process.env.PATH }, stdout: out, stderr: err, stdin });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ mode, code, ms, cpuMs, bytes, rssMb }) + '\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'vnodes-lint-bench-'));
  try {
    const one = join(dir, 'all.yaml');
    writeFileSync(one, Array.from({ length: COUNT }, (_, i) => manifest(i)).join('---\n'));
    const many = join(dir, 'many');
    mkdirSync(many);
    const per = COUNT / 100;
    for (let f = 0; f < 100; f++)
      writeFileSync(
        join(many, `f${String(f).padStart(3, '0')}.yaml`),
        Array.from({ length: per }, (_, i) => manifest(f * per + i)).join('---\n'),
      );
    const me = fileURLToPath(import.meta.url);
    const runs = [
      ['file', one],
      ['stdin', one],
      ['files', many],
    ];
    console.log(`${COUNT} objects, each targeting the virtual node; -o json to a counting sink`);
    for (const [mode, path] of runs) {
      const r = spawnSync(process.execPath, [me, '--child', mode, path], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`${mode}: failed\n${r.stderr}`);
        process.exitCode = 1;
        continue;
      }
      const m = JSON.parse(r.stdout.trim().split('\n').at(-1));
      const label = mode === 'files' ? '100 files x ' + per : mode === 'file' ? 'one file' : 'stdin';
      console.log(
        `${label.padEnd(16)} ${(COUNT / (m.ms / 1000)).toFixed(0).padStart(6)} objects/s  ${m.ms.toFixed(0).padStart(6)} ms wall  ` +
          `(${(COUNT / (m.cpuMs / 1000)).toFixed(0)} objects per CPU-second)  peak RSS ${m.rssMb.toFixed(0)} MB  ` +
          `(${(m.bytes / 1e6).toFixed(1)} MB of JSON, exit ${m.code})`,
      );
    }
    console.log('goal: >= 5,000 objects/s; peak RSS of 100 files should not exceed one file of the same objects');
    console.log('(objects per CPU-second is the figure to compare when other processes share the cores)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
