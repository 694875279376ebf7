// The per-finding and per-object shortcuts of a big lint run (what the JSON of a finding shares with the one before
// it, the containers of the last spec, the ignore look-up) must give what the plain way gives, whatever comes in
// between.
import { describe, expect, it } from 'vitest';
import { findingRenderer } from '../../src/output/lint.js';
import { createStyle } from '../../src/output/style.js';
import { lintObject } from '../../src/workloads/lint.js';
import { containersOf } from '../../src/workloads/pod.js';
import { RULES } from '../../src/workloads/registry.js';
import type { LocatedFinding } from '../../src/workloads/session.js';

const X = { kind: 'Deployment', namespace: 'team-a', name: 'x' };
const Y = { kind: 'Pod', namespace: 'default', name: 'y "quoted"' };

const finding = (over: Partial<LocatedFinding>): LocatedFinding => ({
  rule: 'LNT-CMD-001',
  severity: 'fail',
  path: 'spec.containers[0].args',
  segments: ['spec', 'containers', 0, 'args'],
  message: 'Container app sets args without command.',
  fix: 'Set command.',
  object: X,
  file: 'a.yaml',
  line: 3,
  col: 5,
  ...over,
});

/** The JSON the renderer promises: the keys in this order, live findings without file, line and col. */
function expected(f: LocatedFinding, pointer: string): string {
  return JSON.stringify({
    rule: f.rule,
    severity: f.severity,
    ...(f.file !== undefined ? { file: f.file, line: f.line ?? 1, col: f.col ?? 1 } : { live: true }),
    object: { kind: f.object.kind, namespace: f.object.namespace, name: f.object.name },
    path: f.path,
    pointer,
    message: f.message,
    fix: f.fix,
    ...(f.helmSource ? { helmSource: f.helmSource } : {}),
  });
}

describe('a finding as JSON', () => {
  it('is right whatever finding came before it (rule, severity, file, object and live all change)', () => {
    const render = findingRenderer('json', createStyle(false), RULES);
    const sequence: [LocatedFinding, string][] = [
      [finding({}), '/spec/containers/0/args'],
      [finding({ line: 9, col: 7 }), '/spec/containers/0/args'],
      [finding({ severity: 'warn' }), '/spec/containers/0/args'],
      [finding({ rule: 'LNT-RES-001', severity: 'warn', segments: ['spec', 'a/b~c'] }), '/spec/a~1b~0c'],
      [finding({ object: Y, helmSource: 'chart/templates/y.yaml' }), '/spec/containers/0/args'],
      [{ ...finding({ object: Y }), file: undefined, line: undefined, col: undefined }, '/spec/containers/0/args'],
      [finding({ object: Y, file: 'b.yaml', line: undefined }), '/spec/containers/0/args'],
      [finding({ object: { ...X } }), '/spec/containers/0/args'],
      [finding({ file: 'b.yaml' }), '/spec/containers/0/args'],
      [finding({}), '/spec/containers/0/args'],
    ];
    for (const [f, pointer] of sequence) expect(render(f)).toBe(expected(f, pointer));
  });
});

describe('containers of the last spec', () => {
  it('follow the spec asked for, back and forth between specs', () => {
    const a = { containers: [{ name: 'a1' }], initContainers: [{ name: 'ai' }] };
    const b = { containers: [{ name: 'b1' }, { name: 'b2' }] };
    expect(containersOf(a).map((c) => c.name)).toEqual(['a1', 'ai']);
    expect(containersOf(b, 'main').map((c) => c.name)).toEqual(['b1', 'b2']);
    expect(containersOf(b, 'init')).toEqual([]);
    expect(containersOf(a, 'init').map((c) => [c.name, c.path, c.init])).toEqual([['ai', ['initContainers', 0], true]]);
    expect(containersOf({ containers: [{ name: 'b1' }] }, 'main').map((c) => c.name)).toEqual(['b1']);
  });
});

describe('ignores looked up only where an object is annotated', () => {
  const deployment = (annotations?: unknown, podAnnotations?: unknown) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', ...(annotations !== undefined ? { annotations } : {}) },
    spec: {
      template: {
        metadata: podAnnotations !== undefined ? { annotations: podAnnotations } : {},
        spec: { nodeSelector: { type: 'virtual-kubelet' }, containers: [{ name: 'app', image: 'nginx', args: ['x'] }] },
      },
    },
  });
  const rules = (r: ReturnType<typeof lintObject>) => ({
    reported: r!.findings.map((f) => f.rule),
    ignored: r!.ignored.map((f) => `${f.rule}:${f.by}`),
  });

  it('reports everything without an annotation or --skip, and honours each when present', () => {
    const none = rules(lintObject(deployment()));
    expect(none.reported).toContain('LNT-CMD-001');
    expect(none.ignored).toEqual([]);
    expect(rules(lintObject(deployment({ other: 'x' }))).reported).toEqual(none.reported);
    // Not a string: the annotation says nothing.
    expect(rules(lintObject(deployment({ 'vnodes.io/lint-ignore': 7 }))).ignored).toEqual([]);
    expect(rules(lintObject(deployment(undefined, { 'vnodes.io/lint-ignore': 'lnt-cmd-001' }))).ignored).toEqual([
      'LNT-CMD-001:annotation',
    ]);
    const skip = ['lnt-cmd-001'];
    expect(rules(lintObject(deployment(), { skip })).ignored).toEqual(['LNT-CMD-001:skip']);
    // Another run's options in between: the --skip set follows the options.
    expect(rules(lintObject(deployment(), {})).ignored).toEqual([]);
    expect(rules(lintObject(deployment(), { skip })).ignored).toEqual(['LNT-CMD-001:skip']);
  });
});
