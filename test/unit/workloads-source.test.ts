// Positions: the block-style fast path agrees with the yaml package's source ranges, and the fallback covers the rest.
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { locateBlock } from '../../src/workloads/locate.js';
import { parseSource } from '../../src/workloads/source.js';
import type { PathSegment } from '../../src/workloads/types.js';

/** The position the yaml package gives for a path (key of a pair, start of an item), 0-based. */
function exact(text: string, path: PathSegment[]) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  let node: unknown = doc.contents;
  let offset = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg)!;
      offset = (pair.key as Node).range![0];
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[seg as number];
      offset = (node as Node).range![0];
    }
  }
  const p = lineCounter.linePos(offset);
  return { line: p.line - 1, col: p.col - 1 };
}

const BLOCK = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    "quoted.key/x": "1"
    'single': two
spec:
  template:
    spec:
      containers:
      - name: a
        args:
          - one
          - two
        command: |
          line one
          line two: not a key
      # a comment at the item column
      -   name: b   # trailing comment
          image: x
          env:
          -
            name: E
            value: v
      volumes:
        - name: v
          emptyDir: {}
`;

describe('locateBlock', () => {
  const lines = BLOCK.split('\n');
  const PATHS: PathSegment[][] = [
    ['kind'],
    ['metadata', 'name'],
    ['metadata', 'annotations', 'quoted.key/x'],
    ['metadata', 'annotations', 'single'],
    ['spec', 'template', 'spec', 'containers', 0],
    ['spec', 'template', 'spec', 'containers', 0, 'args', 1],
    ['spec', 'template', 'spec', 'containers', 0, 'command'],
    ['spec', 'template', 'spec', 'containers', 1, 'name'],
    ['spec', 'template', 'spec', 'containers', 1, 'image'],
    ['spec', 'template', 'spec', 'containers', 1, 'env', 0, 'value'],
    ['spec', 'template', 'spec', 'volumes', 0, 'emptyDir'],
  ];
  it.each(PATHS.map((p) => [p.join('.'), p] as const))('finds %s where the yaml package does', (_name, path) => {
    expect(locateBlock(lines, path)).toEqual(exact(BLOCK, path));
  });

  it('gives up inside flow collections, so the caller falls back', () => {
    expect(locateBlock(['a: { b: 1 }'], ['a', 'b'])).toBeUndefined();
  });
});

describe('parseSource', () => {
  it('places documents of a multi-document file on their own lines, and flow or JSON fields exactly', () => {
    const text =
      'kind: A\n---\n# Source: chart/templates/b.yaml\nkind: B\nspec: { x: [1, { y: 2 }] }\n---\n{"kind": "C",\n "spec": {"z": 1}}\n';
    const docs = [...parseSource(text)].map((i) => ('document' in i ? i.document : undefined)!);
    expect(docs.map((d) => (d.value as { kind: string }).kind)).toEqual(['A', 'B', 'C']);
    expect(docs[1]!.helmSource).toBe('chart/templates/b.yaml');
    expect(docs[1]!.locate(['spec', 'x', 1, 'y'])).toEqual({ line: 5, col: 18 });
    expect(docs[2]!.locate(['spec', 'z'])).toEqual({ line: 8, col: 11 });
    // A path that does not exist resolves to its deepest existing part.
    expect(docs[0]!.locate(['spec', 'template'])).toEqual({ line: 1, col: 1 });
    expect(docs[2]!.locate(['spec', 'missing'])).toEqual({ line: 8, col: 2 });
  });

  it('reports a parse error with its line and keeps the other documents', () => {
    const items = [...parseSource('kind: A\n---\nkind: B\n  bad: [\n---\nkind: C\n')];
    expect(items.filter((i) => 'document' in i)).toHaveLength(2);
    const error = items.find((i) => 'error' in i) as { error: { line: number; message: string } };
    expect(error.error.line).toBeGreaterThanOrEqual(4);
    expect(error.error.message).toBeTruthy();
  });

  it('reads YAML 1.2 core types: dates stay strings, merge keys merge', () => {
    const [item] = [...parseSource('base: &b { a: 1 }\nday: 2026-01-01\nm:\n  <<: *b\n  c: 2\n')];
    expect('document' in item! && item.document.value).toEqual({
      base: { a: 1 },
      day: '2026-01-01',
      m: { a: 1, c: 2 },
    });
  });
});

describe('locateBlock on every path of realistic manifests', () => {
  /** Every path to every node of a value. */
  const paths = (v: unknown, prefix: PathSegment[] = []): PathSegment[][] => {
    if (v === null || typeof v !== 'object') return [prefix];
    const entries: [PathSegment, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
  };
  const MANIFESTS = {
    deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  template:
    metadata:
      annotations:
        "checksum/config": abc
    spec:
      tolerations:
      - key: virtual-kubelet.io/provider
        operator: Exists
      containers:
        - name: app
          image: nginx
          args:
          - --a
          -   --b
          env:
            -
              name: X
              value: "1"
            - name: Y
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
          command: >-
            folded
            text
          ports:
            - containerPort: 80
              name: http
      volumes:
      - name: empty
        emptyDir:
      - name: cfg
        configMap:
          name: c
          items:
            - key: a
              path: a
`,
    list: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: a
  spec:
    containers:
    - name: c
      image: i

    - name: d   # second
      image: j
`,
  };
  it.each(Object.entries(MANIFESTS))(
    '%s: the fast path agrees with the yaml package wherever it answers',
    (_name, text) => {
      const lines = text.split('\n');
      const [item] = [...parseSource(text)];
      const value = (item as { document: { value: unknown } }).document.value;
      let answered = 0;
      for (const path of paths(value).filter((p) => p.length > 0)) {
        const fast = locateBlock(lines, path);
        if (fast === undefined) continue;
        answered++;
        expect(fast, path.join('.')).toEqual(exact(text, path));
      }
      expect(answered).toBeGreaterThan(10);
    },
  );
});
