// vnodes lint in live mode against the emulator's Kubernetes API (scenario lint-workloads), through the real client.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';
import { sarifErrors } from '../helpers/sarif.js';

const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Service',
  'ServiceAccount',
  'Namespace',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
];
let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'lint-workloads' });
  dir = mkdtempSync(join(tmpdir(), 'vnodes-lint-live-'));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vnodes lint (live)', () => {
  it('lists each kind once for all namespaces, says what it read, and reports findings without lines', async () => {
    const api = await emu.kube();
    const before = api.requests.length;
    const r = await run(['lint', ...CLUSTER, '--all-namespaces', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    const lists = api.requests.slice(before).filter((q) => q.verb === 'list');
    expect(lists.map((q) => q.path).sort()).toEqual(
      [
        '/api/v1/namespaces',
        '/api/v1/pods',
        '/api/v1/serviceaccounts',
        '/api/v1/services',
        '/apis/apps/v1/daemonsets',
        '/apis/apps/v1/deployments',
        '/apis/apps/v1/replicasets',
        '/apis/apps/v1/statefulsets',
        '/apis/autoscaling/v2/horizontalpodautoscalers',
        '/apis/batch/v1/cronjobs',
        '/apis/batch/v1/jobs',
        '/apis/networking.k8s.io/v1/networkpolicies',
      ].sort(),
    );
    const doc = r.json();
    expect(doc.read.map((x: any) => x.kind)).toEqual(KINDS);
    expect(doc.read.find((x: any) => x.kind === 'Deployment')).toEqual({
      kind: 'Deployment',
      scope: 'all namespaces',
      count: 2,
    });
    const rules = doc.findings.map(
      (f: any) => `${f.object.kind}/${f.object.namespace}/${f.object.name} ${f.rule} ${f.severity}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'Deployment/shop/web LNT-CMD-001 fail',
        'Deployment/shop/web LNT-ENV-001 fail',
        'StatefulSet/shop/db LNT-VOL-001 fail',
        'CronJob/batch/nightly LNT-LC-001 warn',
        'Service/shop/web LNT-SVC-001 warn',
        'NetworkPolicy/shop/deny-all LNT-NP-001 warn',
        'HorizontalPodAutoscaler/shop/web LNT-HPA-001 warn',
        'Namespace//batch LNT-MESH-001 warn',
      ]),
    );
    // The pod owned by a ReplicaSet is linted through its Deployment, and shop/api does not target the virtual node.
    expect(rules.some((x: string) => x.startsWith('Pod/') || x.startsWith('Deployment/shop/api'))).toBe(false);
    expect(doc.findings.every((f: any) => f.live === true && f.line === undefined)).toBe(true);
    expect(doc.counts).toMatchObject({ linted: 3, outOfScope: 1, mayLand: 1 });
    expect(r.stderr).toMatch(/[1-9]\d* object\(s\) owned by a controller were linted through their owner\./);
  });

  it('reads one namespace with --namespace', async () => {
    const r = await run(['lint', ...CLUSTER, '--namespace', 'batch', '-o', 'json'], emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(new Set(doc.read.map((x: any) => x.scope))).toEqual(new Set(['namespace batch']));
    expect(doc.findings.map((f: any) => `${f.object.name} ${f.rule}`)).toEqual([
      'nightly LNT-LC-001',
      'batch LNT-MESH-001',
    ]);
  });

  it('says in the table that live findings have no source line', async () => {
    const r = await run(['lint', ...CLUSTER, '-n', 'shop'], emu.env());
    expect(r.stdout).toContain('live (no source line)  Deployment/shop/web  FAIL LNT-CMD-001');
    expect(r.stdout).toMatch(/Read from namespace shop: \d+ Pod, 2 Deployment, \d+ ReplicaSet, 1 StatefulSet/);
  });

  it('works from a kubeconfig context alone, and gives SARIF with logical locations only', async () => {
    const api = await emu.kube();
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, api.kubeconfig());
    const r = await run(['lint', '--kubeconfig', kubeconfig, '-n', 'shop', '-o', 'sarif'], { HOME: dir });
    expect(r.exitCode, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const result = log.runs[0].results.find((x: any) => x.ruleId === 'LNT-CMD-001');
    expect(result.locations[0]).toEqual({
      logicalLocations: [
        {
          fullyQualifiedName: 'Deployment/shop/web:spec.template.spec.containers[0].args',
          name: 'spec.template.spec.containers[0].args',
          kind: 'object',
        },
      ],
    });
    expect(result.message.text).toContain('no source line');
  });

  it('a cluster that cannot be read leaves stdout to the one error document', async () => {
    const r = await run(['lint', '--cluster', 'nope', '-g', 'rg-aks', '-A', '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.json()).toMatchObject({ kind: 'error', error: { code: 'VNODES_CLUSTER_NOT_FOUND' } });
  });

  it('refuses to mix files with live mode, and -g without --cluster', async () => {
    expect((await run(['lint', 'x.yaml', ...CLUSTER], emu.env())).exitCode).toBe(2);
    const r = await run(['lint', '-g', 'rg-aks'], emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--cluster and -g go together');
  });
});
