import { describe, expect, it } from 'vitest';
import { parseResourcePath, verbOf } from '../../src/emulator/kube/routes.js';
import { humanDuration, tableVersionWanted, toTable } from '../../src/emulator/kube/table.js';
import { resolveType, type KubeObject } from '../../src/emulator/kube/resources.js';

describe('resource paths', () => {
  it.each([
    ['/api/v1/pods', 'pods', undefined, undefined, undefined],
    ['/api/v1/namespaces/default/pods', 'pods', 'default', undefined, undefined],
    ['/api/v1/namespaces/default/pods/web/log', 'pods', 'default', 'web', 'log'],
    ['/api/v1/namespaces/team', 'namespaces', undefined, 'team', undefined],
    ['/api/v1/namespaces/team/status', 'namespaces', undefined, 'team', 'status'],
    ['/api/v1/nodes/virtual-node-aci-linux/status', 'nodes', undefined, 'virtual-node-aci-linux', 'status'],
    [
      '/apis/apps/v1/namespaces/kube-system/deployments/aci-connector-linux',
      'deployments',
      'kube-system',
      'aci-connector-linux',
      undefined,
    ],
    [
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
      'leases',
      'kube-node-lease',
      undefined,
      undefined,
    ],
  ])('%s', (path, resource, namespace, name, subresource) => {
    expect(parseResourcePath(path)).toMatchObject({
      type: { resource },
      namespace,
      name,
      subresource,
      watchPath: false,
    });
  });

  it('recognises the legacy /watch/ prefix and leaves discovery paths alone', () => {
    expect(parseResourcePath('/api/v1/watch/namespaces/default/pods')).toMatchObject({
      watchPath: true,
      namespace: 'default',
    });
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v3']) {
      expect(parseResourcePath(path)).toBeUndefined();
    }
  });

  it.each([
    '/api/v1/widgets',
    '/api/v1/namespaces/default/nodes',
    '/api/v1/namespaces/d/pods/p/exec',
    '/apis/policy/v1/poddisruptionbudgets',
    '/api/v1/pods/a/b/c',
  ])('%s is 404', (path) => {
    expect(() => parseResourcePath(path)).toThrow(expect.objectContaining({ code: 404 }));
  });

  it.each([
    ['GET', '/api/v1/namespaces/d/pods', '', 'list'],
    ['GET', '/api/v1/namespaces/d/pods', 'watch=1', 'watch'],
    ['GET', '/api/v1/watch/namespaces/d/pods', '', 'watch'],
    ['GET', '/api/v1/namespaces/d/pods/p', '', 'get'],
    ['POST', '/api/v1/namespaces/d/pods', '', 'create'],
    ['POST', '/api/v1/namespaces/d/pods/p/binding', '', 'create'],
    ['PUT', '/api/v1/namespaces/d/pods/p/status', '', 'update'],
    ['PATCH', '/api/v1/namespaces/d/pods/p', '', 'patch'],
    ['DELETE', '/api/v1/namespaces/d/pods/p', '', 'delete'],
    ['DELETE', '/api/v1/namespaces/d/pods', '', 'deletecollection'],
  ])('%s %s?%s is %s', (method, path, query, verb) => {
    expect(verbOf(method, parseResourcePath(path)!, new URLSearchParams(query))).toBe(verb);
  });

  it.each([
    ['PUT', '/api/v1/namespaces/d/pods'],
    ['POST', '/api/v1/namespaces/d/pods/p'],
    ['DELETE', '/api/v1/namespaces/d/pods/p/log'],
  ])('%s %s is 405', (method, path) => {
    expect(() => verbOf(method, parseResourcePath(path)!, new URLSearchParams())).toThrow(
      expect.objectContaining({ code: 405 }),
    );
  });
});

describe('tables', () => {
  it.each([
    [0, '0s'],
    [59_000, '59s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [400 * 86400_000, '400d'],
    [-5000, '<invalid>'],
  ])('%i ms reads %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('picks the Table version kubectl asks for, or plain JSON', () => {
    expect(
      tableVersionWanted(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe('v1');
    expect(tableVersionWanted('application/json')).toBeUndefined();
    expect(tableVersionWanted(undefined)).toBeUndefined();
  });

  it('prints pod status the way kubectl does', () => {
    const now = Date.parse('2025-01-01T00:10:00Z');
    const pod = (status: object, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: '2025-01-01T00:00:00Z', ...extra },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status,
    });
    const cells = (o: KubeObject) =>
      (toTable(resolveType('pods'), [o], { version: 'v1', now }).rows as { cells: unknown[] }[])[0]!.cells.slice(0, 5);
    expect(cells(pod({ phase: 'Pending' }))).toEqual(['p', '0/2', 'Pending', 0, '10m']);
    const running = {
      phase: 'Running',
      containerStatuses: [
        { ready: true, restartCount: 2, state: { running: {} } },
        { ready: true, restartCount: 1, state: { running: {} } },
      ],
    };
    expect(cells(pod(running))).toEqual(['p', '2/2', 'Running', 3, '10m']);
    const crashing = {
      phase: 'Running',
      containerStatuses: [{ ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    };
    expect(cells(pod(crashing))[2]).toBe('CrashLoopBackOff');
    expect(cells(pod(running, { deletionTimestamp: '2025-01-01T00:10:30Z' }))[2]).toBe('Terminating');
  });
});
