// vnodes lint over files, directories and stdin, in-process, as a user runs it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/run-cli.js';
import { sarifErrors } from '../helpers/sarif.js';
import { ctr, pod, positionOf, workload } from '../helpers/lint.js';

let dir: string;
const write = (rel: string, text: string) => {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return text;
};
const lint = (args: string[], opts: { stdin?: string } = {}) => run(['lint', ...args], {}, { cwd: dir, ...opts });

const ARGS = pod(`containers:\n${ctr('args: [--port, "80"]')}`, { name: 'args' });
const HOOK = workload('Deployment', `containers:\n${ctr('lifecycle:\n  postStart:\n    exec:\n      command: [x]')}`, {
  name: 'hook',
});
const WARN_ONLY = pod(`containers:\n${ctr('workingDir: /srv')}`, { name: 'wd' });
const OFF = pod(`containers:\n${ctr('args: [x]')}`, { target: false, name: 'off' });
const LIST = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'listed' },
        spec: {
          nodeName: 'virtual-node-aci-linux',
          containers: [
            { name: 'a', image: 'nginx', args: ['x'], resources: { requests: { cpu: '1', memory: '1Gi' } } },
          ],
        },
      },
    ],
  },
  null,
  2,
);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vnodes-lint-'));
  write('tree/a.yaml', `${ARGS}---\n${HOOK}`);
  write('tree/sub/b.yml', OFF);
  write('tree/sub/deeper/list.json', LIST);
  write('tree/sub/notes.txt', 'kind: Pod\n');
  write('warn.yaml', WARN_ONLY);
  write('mixed/1-good.yaml', ARGS);
  write('mixed/2-bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
  write('mixed/3-good.yaml', HOOK);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vnodes lint (files)', () => {
  it('walks a directory tree (.yaml, .yml, .json), multi-document files and a List, with file:line:col', async () => {
    const r = await lint(['tree', '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = r.json();
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'lint', stack: 'v1' });
    const at = (rule: string, name: string) => doc.findings.find((f: any) => f.rule === rule && f.object.name === name);
    expect(at('LNT-CMD-001', 'args')).toMatchObject({
      file: join('tree', 'a.yaml'),
      ...positionOf(ARGS, 'args:'),
      path: 'spec.containers[0].args',
      pointer: '/spec/containers/0/args',
      object: { kind: 'Pod', namespace: 'default', name: 'args' },
    });
    const hookLine = ARGS.split('\n').length - 1 + 1 + positionOf(HOOK, 'postStart:').line;
    expect(at('LNT-LC-001', 'hook')).toMatchObject({
      file: join('tree', 'a.yaml'),
      line: hookLine,
      col: positionOf(HOOK, 'postStart:').col,
    });
    expect(at('LNT-CMD-001', 'listed')).toMatchObject({
      file: join('tree', 'sub', 'deeper', 'list.json'),
      path: 'spec.containers[0].args',
      pointer: '/items/1/spec/containers/0/args',
      ...positionOf(LIST, '"args"'),
    });
    expect(doc.counts).toMatchObject({ inputs: 3, workloads: 4, linted: 3, outOfScope: 1, otherKinds: 1, problems: 0 });
  });

  it('reads stdin for -, and names the artifact stdin', async () => {
    const r = await lint(['-', '-o', 'json'], { stdin: `${OFF}---\n${ARGS}` });
    expect(r.exitCode, r.stderr).toBe(1);
    const f = r.json().findings.find((x: any) => x.rule === 'LNT-CMD-001');
    expect(f).toMatchObject({
      file: 'stdin',
      line: OFF.split('\n').length + positionOf(ARGS, 'args:').line,
      col: positionOf(ARGS, 'args:').col,
    });
  });

  it('lints only what targets the virtual node unless --all, and says how many were out of scope', async () => {
    const scoped = await lint(['tree/sub/b.yml']);
    expect(scoped.exitCode).toBe(0);
    expect(scoped.stdout).toContain('0 workload(s) linted, 1 out of scope');
    const all = await lint(['tree/sub/b.yml', '--all', '-o', 'json']);
    expect(all.exitCode).toBe(1);
    expect(all.json().findings.map((f: any) => f.rule)).toContain('LNT-CMD-001');
  });

  it('renders a table with file:line:col, object, rule, severity, path, message and fix', async () => {
    const r = await lint(['tree/a.yaml']);
    const { line, col } = positionOf(ARGS, 'args:');
    expect(r.stdout).toContain(
      `${join('tree', 'a.yaml')}:${line}:${col}  Pod/default/args  FAIL LNT-CMD-001  spec.containers[0].args`,
    );
    expect(r.stdout).toContain('fix: Set command');
    expect(r.stdout).toMatch(/2 workload\(s\) linted, 0 out of scope .*\. \d+ fail, \d+ warn, 0 info, 0 ignored\./);
  });

  it('exits 0 on warnings, 1 with --strict; info findings (--info) never change it', async () => {
    expect((await lint(['warn.yaml'])).exitCode).toBe(0);
    expect((await lint(['warn.yaml', '--strict'])).exitCode).toBe(1);
    const info = await lint(['-', '--info', '--strict', '-o', 'json'], {
      stdin: pod(`containers:\n${ctr('imagePullPolicy: Always')}`),
    });
    expect(info.exitCode).toBe(0);
    expect(info.json().findings.map((f: any) => [f.rule, f.severity])).toEqual([
      ['LNT-IMG-003', 'info'],
      ['LNT-IMG-004', 'info'],
    ]);
  });

  it('a file that does not parse: exit 2 with its file and line, the others still reported', async () => {
    const r = await lint(['mixed', '-o', 'json']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/mixed.2-bad\.yaml:\d+:\d+: YAML\/JSON parse error/);
    expect(r.stderr).toMatch(/^fix: Fix the syntax at mixed.2-bad\.yaml:\d+/m);
    const doc = r.json();
    expect(doc.problems).toEqual([
      expect.objectContaining({ file: join('mixed', '2-bad.yaml'), line: expect.any(Number) }),
    ]);
    expect(doc.problems[0].line).toBeGreaterThanOrEqual(4);
    expect(new Set(doc.findings.map((f: any) => f.file))).toEqual(
      new Set([join('mixed', '1-good.yaml'), join('mixed', '3-good.yaml')]),
    );
  });

  it('a path that does not exist is bad input too, and the rest is linted', async () => {
    const r = await lint(['nope.yaml', 'warn.yaml', '-o', 'json']);
    expect(r.exitCode).toBe(2);
    expect(r.json().problems[0]).toMatchObject({
      file: 'nope.yaml',
      message: expect.stringContaining('no such file'),
      fix: expect.stringContaining('existing manifest'),
    });
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/^fix: Pass an existing manifest/m);
    expect(r.json().findings.length).toBeGreaterThan(0);
  });

  it('honours the ignore annotation on the object and on the pod template, and counts what it silenced', async () => {
    const onObject = workload('Deployment', `containers:\n${ctr('args: [x]')}`, {
      name: 'o',
      meta: 'annotations:\n  vnodes.io/lint-ignore: LNT-CMD-001 # wrapper',
    });
    const onTemplate = workload('Deployment', `containers:\n${ctr('args: [x]')}`, {
      name: 't',
      podMeta: 'annotations:\n  vnodes.io/lint-ignore: LNT-CMD-001',
    });
    const r = await lint(['-', '-o', 'json'], { stdin: `${onObject}---\n${onTemplate}` });
    expect(r.exitCode).toBe(0);
    expect(r.json().findings.filter((f: any) => f.rule === 'LNT-CMD-001')).toEqual([]);
    expect(r.json().counts.ignored).toBe(2);
  });

  it('--skip silences a rule; an unknown id is a usage error', async () => {
    const r = await lint(['tree/a.yaml', '--skip', 'LNT-CMD-001,LNT-LC-001', '-o', 'json']);
    expect(r.json().findings.map((f: any) => f.rule)).not.toContain('LNT-CMD-001');
    const bad = await lint(['tree/a.yaml', '--skip', 'LNT-NOPE-001']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--skip LNT-NOPE-001: there is no such rule');
  });

  it('--stack v2 drops the v1-only rules', async () => {
    const r = await lint(['tree/a.yaml', '--stack', 'v2', '-o', 'json']);
    expect(r.json().findings.map((f: any) => f.rule)).not.toContain('LNT-CMD-001');
    expect((await lint(['tree/a.yaml', '--stack', 'v3'])).exitCode).toBe(2);
  });

  it('with nothing to lint, says what to pass (exit 2)', async () => {
    const r = await lint([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Nothing to lint');
  });

  it('refuses a VNODES_LINT_WORKERS that is not a number (exit 2); an empty one is unset', async () => {
    const r = await run(['lint', 'warn.yaml'], { VNODES_LINT_WORKERS: 'many' }, { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('VNODES_LINT_WORKERS="many" is not a number of worker threads.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await run(['lint', 'warn.yaml'], { VNODES_LINT_WORKERS: '' }, { cwd: dir })).exitCode).toBe(0);
  });

  it('--list prints every rule; -o json gives them as data', async () => {
    const table = await lint(['--list']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/LNT-SCH-001\s+fail\s+fail/);
    const json = await lint(['--list', '-o', 'json']);
    expect(json.json()).toMatchObject({ kind: 'lint-rules' });
    expect(json.json().rules.length).toBeGreaterThan(40);
  });
});

describe('vnodes lint -o sarif', () => {
  it('is valid SARIF 2.1.0 with rule descriptors and real regions', async () => {
    const r = await lint(['tree', 'mixed', '-o', 'sarif']);
    expect(r.exitCode).toBe(2);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.length).toBeGreaterThan(40);
    expect(run0.tool.driver.rules[0]).toMatchObject({
      id: 'LNT-SCH-001',
      help: { text: expect.stringContaining('docs/lint-rules.md#lnt-sch-001') },
    });
    const result = run0.results.find((x: any) => x.ruleId === 'LNT-CMD-001' && x.properties.object.name === 'args');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'tree/a.yaml' },
      region: { startLine: positionOf(ARGS, 'args:').line, startColumn: positionOf(ARGS, 'args:').col },
    });
    expect(run0.invocations[0].executionSuccessful).toBe(false);
    expect(run0.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'mixed/2-bad.yaml',
    );
  });

  it('has an empty results array when clean, and names stdin as the artifact', async () => {
    const clean = await lint(['tree/sub/b.yml', '-o', 'sarif']);
    expect(clean.exitCode).toBe(0);
    const log = JSON.parse(clean.stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
    const piped = JSON.parse((await lint(['-', '-o', 'sarif'], { stdin: ARGS })).stdout);
    expect(sarifErrors(piped)).toEqual([]);
    expect(piped.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('stdin');
  });

  it('is refused by other commands with exit 2', async () => {
    const r = await run(['check-region', '--location', 'eastus', '-o', 'sarif']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('-o sarif is not an output of vnodes check-region');
  });
});
