import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { podOf, translatePod, type Lookup, type ObjectData } from '../../src/provider/translate.js';
import { translateFile } from '../../src/provider/translate-file.js';
import { aciCpu, aciMemoryGb, parseQuantity } from '../../src/provider/quantity.js';

const ctx = { region: 'eastus', nodeName: 'vnodes-debug-me' };
const pod = (spec: Partial<V1Pod['spec']> & object, meta: Record<string, unknown> = {}): V1Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u-1', ...meta },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
      ...spec,
    },
  }) as V1Pod;
const c0 = (extra: Record<string, unknown>) => [
  { name: 'c', image: 'nginx', resources: { requests: { cpu: '1', memory: '1G' } }, ...extra },
];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const lookupOf = (objects: Record<string, ObjectData>): Lookup => ({
  get: (r) => objects[`${r.kind}/${r.namespace}/${r.name}`] ?? null,
});

describe('quantities', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['2e3', 2000],
    ['abc', undefined],
    ['1Zi', undefined],
  ])('parses %s', (q, n) => expect(parseQuantity(q)).toBe(n));
  it.each([
    [0.001, 0.01],
    [0.25, 0.25],
    [0.251, 0.26],
    [2, 2],
  ])('cpu %d cores → %d (0.01 granularity, rounded up)', (c, out) => expect(aciCpu(c)).toBe(out));
  it.each([
    [2 ** 30, 1.1],
    [512 * 2 ** 20, 0.6],
    [1e9, 1],
    [1, 0.1],
  ])('memory %d bytes → %d GB', (b, out) => expect(aciMemoryGb(b)).toBe(out));
});

describe('translatePod: rejections carry rule and field path', () => {
  it.each<[string, Partial<V1Pod['spec']> & object, string, string]>([
    ['args without command', { containers: c0({ args: ['x'] }) }, 'LNT-CMD-001', 'spec.containers[0].args'],
    [
      'hostPath volume',
      { volumes: [{ name: 'v', hostPath: { path: '/x' } }] },
      'LNT-VOL-001',
      'spec.volumes[0].hostPath',
    ],
    [
      'PVC volume',
      { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c' } }] },
      'LNT-VOL-001',
      'spec.volumes[0].persistentVolumeClaim',
    ],
    [
      'other CSI driver',
      { volumes: [{ name: 'v', csi: { driver: 'secrets-store.csi.k8s.io' } }] },
      'LNT-VOL-002',
      'spec.volumes[0].csi.driver',
    ],
    [
      'tcpSocket probe',
      { containers: c0({ livenessProbe: { tcpSocket: { port: 80 } } }) },
      'LNT-PRB-001',
      'spec.containers[0].livenessProbe',
    ],
    [
      'named port missing',
      { containers: c0({ readinessProbe: { httpGet: { port: 'web' } } }) },
      'LNT-PRB-001',
      'spec.containers[0].readinessProbe.httpGet.port',
    ],
    [
      'lifecycle hook',
      { containers: c0({ lifecycle: { preStop: { exec: { command: ['x'] } } } }) },
      'LNT-LC-001',
      'spec.containers[0].lifecycle',
    ],
    [
      'GPU',
      { containers: c0({ resources: { limits: { 'nvidia.com/gpu': '1' } } }) },
      'LNT-RES-005',
      'spec.containers[0].resources.limits',
    ],
    [
      'podIP fieldRef',
      { containers: c0({ env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }) },
      'LNT-ENV-001',
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath',
    ],
    [
      'native sidecar',
      { initContainers: [{ name: 'i', image: 'x', command: ['x'], restartPolicy: 'Always' } as never] },
      'LNT-INIT-003',
      'spec.initContainers[0].restartPolicy',
    ],
    [
      'limit above requests',
      { containers: c0({ resources: { requests: { cpu: '1', memory: '1G' }, limits: { cpu: '2', memory: '1G' } } }) },
      'LNT-RES-002',
      'spec.containers[0].resources.limits',
    ],
    [
      'too big',
      { containers: c0({ resources: { requests: { cpu: '40', memory: '1G' } } }) },
      'LNT-RES-004',
      'spec.containers[*].resources.requests',
    ],
    ['windows', { nodeSelector: { 'kubernetes.io/os': 'windows' } }, 'LNT-SCH-005', 'spec.nodeSelector'],
  ])('%s', (_name, spec, rule, path) => {
    const t = translatePod(pod(spec), ctx);
    expect(t.rejections).toContainEqual(expect.objectContaining({ rule, path }));
  });
});

describe('translatePod: warnings', () => {
  it.each<[string, Partial<V1Pod['spec']> & object, string]>([
    ['no requests', { containers: [{ name: 'c', image: 'x' }] }, 'LNT-RES-001'],
    ['workingDir', { containers: c0({ workingDir: '/app' }) }, 'LNT-CMD-002'],
    ['startupProbe dropped', { containers: c0({ startupProbe: { exec: { command: ['true'] } } }) }, 'LNT-PRB-002'],
    ['hostNetwork', { hostNetwork: true }, 'LNT-SCH-006'],
    [
      'subPath',
      {
        containers: c0({ volumeMounts: [{ name: 'v', mountPath: '/m', subPath: 'a' }] }),
        volumes: [{ name: 'v', emptyDir: {} }],
      },
      'LNT-VOL-007',
    ],
    [
      'SA token',
      { volumes: [{ name: 'k', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] },
      'LNT-VOL-005',
    ],
    [
      'init resources',
      { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }] },
      'LNT-INIT-002',
    ],
  ])('%s', (_n, spec, rule) => {
    const t = translatePod(pod(spec), ctx);
    expect(t.rejections).toEqual([]);
    expect(t.warnings.map((w) => w.rule)).toContain(rule);
  });
});

describe('translatePod: the group body', () => {
  it('joins command and args, rounds resources up, maps ports, probes, restart policy, tags', () => {
    const t = translatePod(
      pod({
        restartPolicy: 'OnFailure',
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            command: ['nginx'],
            args: ['-g', 'daemon off;'],
            ports: [
              { name: 'http', containerPort: 80 },
              { containerPort: 53, protocol: 'UDP' },
            ],
            resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '250m', memory: '512Mi' } },
            livenessProbe: { httpGet: { port: 'http' as never, path: '/healthz', scheme: 'HTTP' }, periodSeconds: 5 },
            readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2 },
          },
        ],
      }),
      ctx,
    );
    expect(t.rejections).toEqual([]);
    expect(t.name).toBe('ns-p');
    expect(t.body).toMatchObject({
      location: 'eastus',
      osType: 'Linux',
      restartPolicy: 'OnFailure',
      tags: { Namespace: 'ns', PodName: 'p', UID: 'u-1', NodeName: 'vnodes-debug-me' },
      ipAddress: {
        type: 'Public',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          command: ['nginx', '-g', 'daemon off;'],
          resources: { requests: { cpu: 0.25, memoryInGB: 0.6 }, limits: { cpu: 0.25, memoryInGB: 0.6 } },
          livenessProbe: { httpGet: { port: 80, path: '/healthz', scheme: 'http' }, periodSeconds: 5 },
          readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2 },
        },
      ],
    });
  });

  it('gives missing requests ACI defaults', () => {
    const t = translatePod(pod({ containers: [{ name: 'c', image: 'x' }] }), ctx);
    expect(t.body.containers[0]!.resources).toEqual({ requests: { cpu: 1, memoryInGB: 1.5 } });
  });

  it('in a subnet: private IP, the subnet, cluster DNS with the search path and dnsConfig', () => {
    const subnetId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci';
    const t = translatePod(
      pod({
        containers: c0({ ports: [{ containerPort: 8080 }] }),
        dnsConfig: { searches: ['corp.local'], options: [{ name: 'ndots', value: '2' }] },
      }),
      { ...ctx, subnetId, dnsServiceIp: '10.0.0.10' },
    );
    expect(t.body.subnetIds).toEqual([{ id: subnetId }]);
    expect(t.body.ipAddress).toEqual({ type: 'Private', ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(t.body.dnsConfig).toEqual({
      nameServers: ['10.0.0.10'],
      searchDomains: 'ns.svc.cluster.local svc.cluster.local cluster.local corp.local',
      options: 'ndots:2',
    });
  });

  it('offline: Secret and ConfigMap refs are listed as needed, secret env is a secureValue placeholder', () => {
    const t = translatePod(
      pod({
        containers: c0({
          env: [
            { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } },
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
        }),
        imagePullSecrets: [{ name: 'acr' }],
      }),
      ctx,
    );
    expect(t.needs).toEqual([
      expect.objectContaining({ kind: 'Secret', namespace: 'ns', name: 'db', key: 'pw' }),
      expect.objectContaining({ kind: 'ConfigMap', name: 'cfg', key: 'mode' }),
      expect.objectContaining({ kind: 'Secret', name: 'acr' }),
    ]);
    expect(t.body.containers[0]!.environmentVariables).toEqual([
      { name: 'PW', secureValue: '<secret ns/db#pw>' },
      { name: 'MODE', value: '<configmap ns/cfg#mode>' },
      { name: 'POD', value: 'p' },
    ]);
  });

  it('running: refs resolved through the lookup; Secrets become secureValue; volumes and pull secrets filled', () => {
    const lookup = lookupOf({
      'Secret/ns/db': { data: { pw: b64('s3cret') } },
      'ConfigMap/ns/cfg': { data: { mode: 'fast', 'app.conf': 'x=1' } },
      'Secret/ns/acr': {
        data: {
          '.dockerconfigjson': b64(
            JSON.stringify({ auths: { 'https://myreg.azurecr.io/v1/': { auth: b64('user:pa:ss') } } }),
          ),
        },
        type: 'kubernetes.io/dockerconfigjson',
      },
      'Secret/ns/files': { data: { azurestorageaccountname: b64('acct'), azurestorageaccountkey: b64('key') } },
    });
    const t = translatePod(
      pod({
        containers: c0({
          env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
          envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'C_' }],
        }),
        imagePullSecrets: [{ name: 'acr' }],
        volumes: [
          { name: 'conf', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'app.conf' }] } },
          { name: 'share', azureFile: { secretName: 'files', shareName: 'data' } },
          { name: 'tmp', emptyDir: {} },
        ],
      }),
      { ...ctx, lookup },
    );
    expect(t.missing).toEqual([]);
    expect(t.body.containers[0]!.environmentVariables).toEqual([
      { name: 'C_mode', value: 'fast' },
      { name: 'C_app.conf', value: 'x=1' },
      { name: 'PW', secureValue: 's3cret' },
    ]);
    expect(t.warnings.map((w) => w.rule)).toContain('LNT-ENV-004');
    expect(t.body.imageRegistryCredentials).toEqual([
      { server: 'myreg.azurecr.io', username: 'user', password: 'pa:ss' },
    ]);
    expect(t.body.volumes).toEqual([
      { name: 'conf', secret: { 'app.conf': b64('x=1') } },
      { name: 'share', azureFile: { shareName: 'data', storageAccountName: 'acct', storageAccountKey: 'key' } },
      { name: 'tmp', emptyDir: {} },
    ]);
  });

  it('running: a missing mandatory ref is reported as missing, an optional one is skipped', () => {
    const t = translatePod(
      pod({
        containers: c0({
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
          ],
        }),
      }),
      { ...ctx, lookup: lookupOf({}) },
    );
    expect(t.missing).toEqual([
      expect.objectContaining({ rule: 'PRV-REF-001', path: 'spec.containers[0].env[0].valueFrom' }),
    ]);
    expect(t.body.containers[0]!.environmentVariables).toBeUndefined();
  });

  it('init containers keep order, command and env, without resources', () => {
    const t = translatePod(
      pod({
        initContainers: [
          { name: 'migrate', image: 'tool', command: ['sh', '-c', 'migrate'], env: [{ name: 'X', value: '1' }] },
        ],
      }),
      ctx,
    );
    expect(t.body.initContainers).toEqual([
      {
        name: 'migrate',
        image: 'tool',
        command: ['sh', '-c', 'migrate'],
        environmentVariables: [{ name: 'X', value: '1' }],
      },
    ]);
  });
});

describe('podOf: workloads give their pod template', () => {
  it.each([
    ['Deployment', { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } }, 'Always'],
    ['Job', { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } }, 'Never'],
    [
      'CronJob',
      {
        spec: {
          jobTemplate: {
            spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'OnFailure' } } },
          },
        },
      },
      'OnFailure',
    ],
  ])('%s', (kind, body, restart) => {
    const p = podOf({ kind, metadata: { name: 'w', namespace: 'apps' }, ...body })!;
    expect(p.metadata).toMatchObject({ name: 'w', namespace: 'apps' });
    expect(translatePod(p, ctx).body.restartPolicy).toBe(restart);
  });
  it('ignores other kinds', () => expect(podOf({ kind: 'Service' })).toBeUndefined());
});

describe('translateFile', () => {
  it('translates each document, skips the rest, redacts nothing it does not know', () => {
    const r = translateFile({
      file: 'x.yaml',
      region: 'eastus',
      nodeName: 'n',
      text: 'kind: Service\nmetadata: {name: s}\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x, args: [a]}]\n',
    });
    expect(r.rejected).toBe(true);
    expect(r.skipped).toEqual([{ kind: 'Service', name: 's' }]);
    expect(r.items[0]!.rejections[0]!.rule).toBe('LNT-CMD-001');
  });
  it("a workload's paths are where they are in the file, and lint's findings come along", () => {
    const r = translateFile({
      file: 'd.yaml',
      region: 'eastus',
      nodeName: 'n',
      text: 'kind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x, args: [a]}]\n',
    });
    expect(r.items[0]!.rejections[0]!.path).toBe('spec.template.spec.containers[0].args');
    expect(r.items[0]!.lint).toContainEqual(
      expect.objectContaining({ rule: 'LNT-CMD-001', path: 'spec.template.spec.containers[0].args' }),
    );
  });
  it.each([
    ['kind: Pod\nspec: [', 'not valid YAML'],
    ['kind: Service\n', 'no Pod or workload'],
  ])('bad input %j is a usage error', (text, msg) => {
    expect(() => translateFile({ file: 'x', region: 'r', nodeName: 'n', text })).toThrow(msg);
  });
});
