// A large lint run goes to worker threads (src/workloads/parallel.ts): through the built CLI, its output must be the
// one the main thread alone writes, byte for byte, in every format and from a file, stdin and a directory, with a
// parse error inside a part still reported at its file and line, and exit 2.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));

/** A Deployment that targets the virtual node and trips a few rules; labels app-0..app-19. */
const deployment = (i: number) => `# Source: chart/templates/app-${i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 5}
spec:
  selector:
    matchLabels:
      app: app-${i % 20}
  template:
    metadata:
      labels:
        app: app-${i % 20}
    spec:
      nodeSelector:
        type: virtual-kubelet
      tolerations:
        - key: virtual-kubelet.io/provider
          operator: Exists
      containers:
        - name: app
          image: myregistry.azurecr.io/app-${i}:1.0
          args: [--port, "8080"]
          env:
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
`;
const BAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  namespace: x\n';
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: team-3
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: app-3
`;

let dir: string;
let big: string;
let text: string;
/** 1-based lines of the bad document in the big file. */
let badLines: [number, number];

/** vnodes with its output captured; VNODES_LINT_WORKERS as given (0: the main thread alone). */
function vnodes(args: string[], workers: string, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    input,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: '/nonexistent', VNODES_LINT_WORKERS: workers },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vnodes-lint-workers-'));
  // ~2 MB: past the 1 MiB at which workers start, cut into several parts; the bad document sits in a middle part.
  const docs = Array.from({ length: 2000 }, (_, i) => deployment(i));
  docs.splice(1100, 0, BAD);
  docs.push(SERVICE);
  text = docs.join('---\n');
  const before = docs.slice(0, 1100).join('---\n') + '---\n';
  const first = before.split('\n').length;
  badLines = [first, first + BAD.split('\n').length - 2];
  big = join(dir, 'big.yaml');
  writeFileSync(big, text);
  // A tree of 16 files of ~125 KB: the workers start part way through it, and one file among the later ones is bad.
  mkdirSync(join(dir, 'tree'));
  for (let f = 0; f < 16; f++)
    writeFileSync(
      join(dir, 'tree', `f${String(f).padStart(2, '0')}.yaml`),
      (f === 12 ? [BAD] : [])
        .concat(Array.from({ length: 120 }, (_, i) => deployment(f * 120 + i)))
        .concat(f === 15 ? [SERVICE] : [])
        .join('---\n'),
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lint in worker threads', () => {
  it('starts workers for a large input only (--debug says so)', () => {
    const line = /debug: lint: 1 worker thread\(s\) beside the main thread/;
    expect(vnodes(['lint', 'big.yaml', '--debug'], '1').stderr).toMatch(line);
    expect(vnodes(['lint', 'big.yaml', '--debug'], '0').stderr).not.toMatch(line);
    writeFileSync(join(dir, 'small.yaml'), deployment(1));
    expect(vnodes(['lint', 'small.yaml', '--debug'], '1').stderr).not.toMatch(/worker thread/);
  });

  it.each([['json'], ['sarif'], ['table']])('-o %s of one file is the main thread alone’s, byte for byte', (format) => {
    const alone = vnodes(['lint', 'big.yaml', '-o', format], '0');
    expect(alone.code).toBe(2);
    expect(alone.stdout.length).toBeGreaterThan(1_000_000);
    for (const workers of ['1', '2']) expect(vnodes(['lint', 'big.yaml', '-o', format], workers)).toEqual(alone);
  });

  it('reports the parse error inside a part at its file and line, and exits 2', () => {
    const r = vnodes(['lint', 'big.yaml', '-o', 'json'], '2');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as {
      problems: { file: string; line: number }[];
      findings: { rule: string; line: number }[];
      counts: { linted: number; related: number };
    };
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]!.file).toBe('big.yaml');
    expect(doc.problems[0]!.line).toBeGreaterThanOrEqual(badLines[0]);
    expect(doc.problems[0]!.line).toBeLessThanOrEqual(badLines[1]);
    expect(r.stderr).toContain(`error: big.yaml:${doc.problems[0]!.line}:`);
    expect(doc.counts).toMatchObject({ linted: 2000, related: 1 });
    // The Service at the very end sees the workloads of every part.
    const svc = doc.findings.find((f) => f.rule === 'LNT-SVC-001');
    expect(svc).toBeDefined();
    expect(svc!.line).toBe(text.split('\n').length - 3);
    // Findings stay in input order across parts.
    const lines = doc.findings.map((f) => f.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('stdin gives the main thread alone’s output', () => {
    const alone = vnodes(['lint', '-', '-o', 'json'], '0', text);
    expect(alone.code).toBe(2);
    expect(JSON.parse(alone.stdout).findings.length).toBeGreaterThan(4000);
    expect(vnodes(['lint', '-', '-o', 'json'], '1', text)).toEqual(alone);
  });

  it('a directory, then a missing path: the same findings and problems, in the same order', () => {
    const args = ['lint', 'tree', 'missing.yaml', '-o', 'json'];
    const alone = vnodes(args, '0');
    expect(alone.code).toBe(2);
    const problems = (JSON.parse(alone.stdout) as { problems: { file: string }[] }).problems.map((p) => p.file);
    expect(problems).toEqual(['tree/f12.yaml', 'missing.yaml']);
    expect(vnodes([...args, '--debug'], '1').stderr).toMatch(/worker thread/);
    expect(vnodes(args, '1')).toEqual(alone);
  });
});
