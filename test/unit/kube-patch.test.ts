import { describe, expect, it } from 'vitest';
import { KubeError } from '../../src/emulator/kube/errors.js';
import {
  PATCH_TYPES,
  applyPatch,
  jsonPatch,
  mergePatch,
  parsePatchBody,
  strategicMergePatch,
} from '../../src/emulator/kube/patch.js';

const pod = () => ({
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'envoy' },
    ],
    tolerations: [{ key: 'k', operator: 'Exists' }],
    volumes: [{ name: 'v1', emptyDir: {} }],
  },
});

describe('JSON merge patch (RFC 7386)', () => {
  it.each([
    [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    [{ a: 1, b: 2 }, { b: null }, { a: 1 }],
    [{ a: { x: 1, y: 2 } }, { a: { y: 3 } }, { a: { x: 1, y: 3 } }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    [{ a: 1 }, 'x', 'x'],
  ])('merges %j with %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it('does not change its input', () => {
    const target = pod();
    mergePatch(target, { metadata: { labels: { a: null } } });
    expect(target).toEqual(pod());
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, keeping what the patch does not mention', () => {
    const out = strategicMergePatch(pod(), {
      spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] },
    }) as any;
    expect(out.spec.containers).toHaveLength(2);
    expect(out.spec.containers[0]).toMatchObject({
      name: 'app',
      image: 'nginx:1',
      env: [{ name: 'A' }, { name: 'B' }],
    });
  });

  it('appends new items, deletes with $patch: delete, and replaces lists without a merge key', () => {
    const out = strategicMergePatch(pod(), {
      spec: {
        containers: [
          { name: 'sidecar', $patch: 'delete' },
          { name: 'new', image: 'busybox' },
        ],
        volumes: [{ name: 'v2', configMap: { name: 'c' } }],
        tolerations: [{ key: 'other', operator: 'Exists' }],
      },
    }) as any;
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['app', 'new']);
    expect(out.spec.volumes.map((v: any) => v.name)).toEqual(['v1', 'v2']);
    expect(out.spec.tolerations).toEqual([{ key: 'other', operator: 'Exists' }]);
  });

  it('merges container ports by containerPort and service ports by port', () => {
    const c = strategicMergePatch(pod(), {
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }] }] },
    }) as any;
    expect(c.spec.containers[0].ports).toEqual([{ containerPort: 80 }, { containerPort: 443 }]);
    const svc = strategicMergePatch(
      { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    );
    expect(svc).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }] } });
  });

  it('honours the directives kubectl apply sends', () => {
    const out = strategicMergePatch(pod(), {
      metadata: { labels: { b: null }, finalizers: ['y'], '$setElementOrder/finalizers': ['y', 'x'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
        containers: [{ name: 'app', image: 'nginx:2' }],
      },
    }) as any;
    expect(out.metadata.labels).toEqual({ a: '1' });
    expect(out.metadata.finalizers).toEqual(['y', 'x']);
    expect(out.spec.containers.map((c: any) => `${c.name}:${c.image}`)).toEqual(['sidecar:envoy', 'app:nginx:2']);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('unions finalizers, removes from primitive lists, and replaces maps on $patch: replace', () => {
    const fin = strategicMergePatch(pod(), { metadata: { finalizers: ['y', 'x'] } }) as any;
    expect(fin.metadata.finalizers).toEqual(['x', 'y']);
    const gone = strategicMergePatch(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }) as any;
    expect(gone.metadata.finalizers).toEqual([]);
    const replaced = strategicMergePatch(pod(), { metadata: { labels: { $patch: 'replace', c: '3' } } }) as any;
    expect(replaced.metadata.labels).toEqual({ c: '3' });
  });

  it('keeps only $retainKeys where given', () => {
    const out = strategicMergePatch(
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
      },
    );
    expect(out).toEqual({ strategy: { type: 'Recreate' } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies operations without changing the input', () => {
    const target = pod();
    const out = jsonPatch(target, [
      { op: 'add', path: '/metadata/labels/c', value: '3' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
      { op: 'test', path: '/metadata/name', value: 'p' },
    ]) as any;
    expect(out.metadata.labels).toEqual({ b: '2', c: '3' });
    expect(out.spec.containers[0].image).toBe('nginx:2');
    expect(target).toEqual(pod());
  });

  it.each([
    [[{ op: 'test', path: '/metadata/name', value: 'q' }], 422],
    [[{ op: 'remove', path: '/nope/x' }], 422],
    [{ op: 'add' }, 400],
  ])('fails %j with %i', (ops, code) => {
    let error: unknown;
    try {
      jsonPatch(pod(), ops);
    } catch (err) {
      error = err;
    }
    expect((error as KubeError).code).toBe(code);
  });
});

describe('patch bodies', () => {
  it('parses by content type, YAML for server-side apply', () => {
    expect(parsePatchBody('application/merge-patch+json; charset=utf-8', '{"a":1}')).toEqual({
      type: PATCH_TYPES.merge,
      patch: { a: 1 },
    });
    expect(parsePatchBody('application/apply-patch+yaml', 'a: 1\nb: [x]\n')).toEqual({
      type: PATCH_TYPES.apply,
      patch: { a: 1, b: ['x'] },
    });
  });

  it('refuses unknown content types with 415 and broken bodies with 400', () => {
    expect(() => parsePatchBody('application/json', '{}')).toThrow(expect.objectContaining({ code: 415 }));
    expect(() => parsePatchBody(PATCH_TYPES.json, '[')).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('applies an apply patch as a strategic merge', () => {
    expect(applyPatch(PATCH_TYPES.apply, pod(), { metadata: { labels: { a: 'x' } } })).toMatchObject({
      metadata: { labels: { a: 'x', b: '2' } },
    });
  });
});
