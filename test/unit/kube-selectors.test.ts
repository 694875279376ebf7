import { describe, expect, it } from 'vitest';
import { KubeError } from '../../src/emulator/kube/errors.js';
import {
  fieldValue,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  requirementsOf,
} from '../../src/emulator/kube/selectors.js';

const labels = { app: 'web', tier: 'front', 'kubernetes.io/role': 'agent', n: '5' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['! tier', false],
    ['app=web,tier in (front,back),!missing', true],
    ['app=web,tier=back', false],
    ['kubernetes.io/role=agent', true],
    ['n>4', true],
    ['n<5', false],
    ['app=', false],
    ['missing=', false],
  ])('%j matches the labels: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('parses each operator into a requirement', () => {
    expect(parseLabelSelector('a=1,b!=2,c in (x, y),d notin (z),e,!f')).toEqual([
      { key: 'a', op: 'in', values: ['1'] },
      { key: 'b', op: 'notin', values: ['2'] },
      { key: 'c', op: 'in', values: ['x', 'y'] },
      { key: 'd', op: 'notin', values: ['z'] },
      { key: 'e', op: 'exists', values: [] },
      { key: 'f', op: '!exists', values: [] },
    ]);
  });

  it.each(['a in ()', 'a=b=c', '=x', 'a,,b', 'a in (b', 'a > b', 'bad key=x'])(
    'rejects %j with 400 BadRequest',
    (selector) => {
      let error: unknown;
      try {
        parseLabelSelector(selector);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(KubeError);
      expect((error as KubeError).code).toBe(400);
    },
  );

  it('turns selector objects and node selector terms into requirements', () => {
    const reqs = requirementsOf({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front'] },
        { key: 'gone', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabels(reqs, labels)).toBe(true);
    expect(matchesLabels(reqs, { app: 'web', tier: 'back' })).toBe(false);
    expect(() => requirementsOf({ matchExpressions: [{ key: 'a', operator: 'Near' }] })).toThrow(KubeError);
  });
});

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { nodeName: 'virtual-node-aci-linux' },
    status: { phase: 'Running' },
  };

  it.each([
    ['metadata.name=p', true],
    ['metadata.name==p', true],
    ['metadata.name!=p', false],
    ['spec.nodeName=virtual-node-aci-linux,status.phase=Running', true],
    ['status.phase!=Failed,status.phase!=Succeeded', true],
    ['spec.nodeName=', false],
    ['spec.schedulerName=', true],
  ])('%j matches the pod: %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), pod)).toBe(expected);
  });

  it('unescapes values and reads event sources', () => {
    expect(parseFieldSelector('metadata.name=a\\,b,type=x')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'type', op: '=', value: 'x' },
    ]);
    expect(fieldValue({ source: { component: 'default-scheduler' } }, 'source')).toBe('default-scheduler');
    expect(fieldValue({ spec: { unschedulable: true } }, 'spec.unschedulable')).toBe('true');
  });

  it('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(/can't understand/);
  });
});
