// Which pod templates lint looks at (pain.md §3 "Scope"), how tolerating alone softens fail to warn, and ignores.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ignoresOf, lintObject, lintPodSpec } from '../../src/workloads/lint.js';
import { targetingOf } from '../../src/workloads/pod.js';
import { renderRulesMarkdown } from '../../src/workloads/docs.js';
import { RULES } from '../../src/workloads/registry.js';
import { ctr, lintText, pod, workload } from '../helpers/lint.js';

const tol = (t: object) => ({ tolerations: [t] });
const req = (e: object) => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [e] }] },
    },
  },
});

describe('targetingOf', () => {
  it.each([
    ['nodeSelector type=virtual-kubelet', { nodeSelector: { type: 'virtual-kubelet' } }, 'targets'],
    ['nodeSelector virtualization=virtualnode2 (v2)', { nodeSelector: { virtualization: 'virtualnode2' } }, 'targets'],
    [
      'required affinity type In [virtual-kubelet]',
      req({ key: 'type', operator: 'In', values: ['virtual-kubelet'] }),
      'targets',
    ],
    ['nodeName of the v1 virtual node', { nodeName: 'virtual-node-aci-linux' }, 'targets'],
    ['nodeName of a v2 virtual node', { nodeName: 'vn2-virtualnode-0' }, 'targets'],
    ['nodeName of a VM node', { nodeName: 'aks-nodepool1-123-vmss000000' }, 'none'],
    ['toleration of the taint key', tol({ key: 'virtual-kubelet.io/provider', operator: 'Exists' }), 'may'],
    ['toleration of every taint', tol({ operator: 'Exists' }), 'may'],
    ['legacy toleration azure.com/aci', tol({ key: 'azure.com/aci', operator: 'Exists' }), 'may'],
    ['a toleration of another taint', tol({ key: 'sku', operator: 'Equal', value: 'gpu' }), 'none'],
    ['nothing', {}, 'none'],
    [
      'tolerates but excluded by affinity',
      { ...tol({ operator: 'Exists' }), ...req({ key: 'type', operator: 'NotIn', values: ['virtual-kubelet'] }) },
      'none',
    ],
    [
      'tolerates but pinned to an agent pool',
      { ...tol({ operator: 'Exists' }), nodeSelector: { 'kubernetes.azure.com/agentpool': 'np1' } },
      'none',
    ],
  ] as const)('%s → %s', (_name, spec, expected) => {
    expect(targetingOf(spec as Record<string, unknown>)).toBe(expected);
  });
});

const argsOnly = {
  containers: [{ name: 'a', image: 'nginx', args: ['x'], resources: { requests: { cpu: '1', memory: '1Gi' } } }],
};

describe('scope and severity', () => {
  it('skips a workload that does not target the virtual node, and lints it with --all', () => {
    const o = { kind: 'Pod', metadata: { name: 'p' }, spec: argsOnly };
    expect(lintObject(o)).toMatchObject({ inScope: false, findings: [] });
    expect(lintObject(o, { all: true })!.findings.map((f) => [f.rule, f.severity])).toEqual([['LNT-CMD-001', 'fail']]);
  });

  it('softens fail to warn for a pod that only tolerates the taint', () => {
    const o = { kind: 'Pod', metadata: { name: 'p' }, spec: { ...argsOnly, ...tol({ operator: 'Exists' }) } };
    expect(lintObject(o)!.findings.map((f) => [f.rule, f.severity])).toEqual([['LNT-CMD-001', 'warn']]);
    expect(lintObject(o, { all: true })!.findings.map((f) => f.severity)).toEqual(['fail']);
  });

  it('lintPodSpec reports at full severity with paths relative to the spec, per stack', () => {
    expect(lintPodSpec(argsOnly).map((f) => [f.rule, f.path.join('.')])).toEqual([
      ['LNT-CMD-001', 'containers.0.args'],
    ]);
    expect(lintPodSpec(argsOnly, { stack: 'v2' })).toEqual([]);
  });

  it('runs the info rules only when asked', () => {
    const o = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { ...argsOnly, nodeName: 'virtual-node-aci-linux', restartPolicy: 'Never' },
    };
    expect(lintObject(o)!.findings.map((f) => f.rule)).not.toContain('LNT-RP-001');
    expect(lintObject(o, { info: true })!.findings.find((f) => f.rule === 'LNT-RP-001')?.severity).toBe('info');
  });

  it('the table output counts what was out of scope', () => {
    const text = `${pod(`containers:\n${ctr('args: [x]')}`, { target: false })}---\n${pod(`containers:\n${ctr('args: [x]')}`)}`;
    const { findings, session } = lintText(text);
    expect(findings.map((f) => f.object.name)).toEqual(['p']);
    expect(session.counts).toMatchObject({ workloads: 2, linted: 1, outOfScope: 1, fail: 1 });
  });
});

describe('ignores', () => {
  it('parses ids and the reason after #', () => {
    expect(
      ignoresOf({ annotations: { 'vnodes.io/lint-ignore': 'lnt-cmd-001, LNT-RES-001 # sidecar sets it' } }),
    ).toEqual({
      ids: new Set(['LNT-CMD-001', 'LNT-RES-001']),
      reason: 'sidecar sets it',
    });
  });

  it.each([
    ['on the object', { meta: 'annotations:\n  vnodes.io/lint-ignore: LNT-CMD-001 # entrypoint wrapper' }],
    ['on the pod template', { podMeta: 'annotations:\n  vnodes.io/lint-ignore: LNT-CMD-001' }],
  ])('honours the annotation %s and counts the finding as ignored', (_where, o) => {
    const text = workload('Deployment', `containers:\n${ctr('args: [x]')}`, o);
    const { findings, ignored } = lintText(text);
    expect(findings.filter((f) => f.rule === 'LNT-CMD-001')).toEqual([]);
    expect(ignored).toBe(1);
  });

  it('--skip drops a rule and counts it', () => {
    const { findings, ignored } = lintText(pod(`containers:\n${ctr('args: [x]')}`), { skip: ['LNT-CMD-001'] });
    expect(findings).toEqual([]);
    expect(ignored).toBe(1);
  });
});

describe('docs/lint-rules.md', () => {
  it('is what npm run docs:lint generates from the registry', () => {
    const committed = readFileSync(new URL('../../docs/lint-rules.md', import.meta.url), 'utf8');
    expect(committed, 'docs/lint-rules.md is stale: run npm run docs:lint').toBe(renderRulesMarkdown(RULES));
  });
});
