// A large input is cut at `---` lines and its parts linted on their own (in worker threads, parallel.ts), then merged
// in order: that must give what linting the whole text at once gives, call for call. The threads themselves run in
// test/e2e/lint-workers.test.ts, through the built CLI.
import { describe, expect, it } from 'vitest';
import { LintSession, type LintSink, type LocatedFinding, type PartResult } from '../../src/workloads/session.js';
import { parseSource, splitAtMarkers } from '../../src/workloads/source.js';
import { ctr, pod, workload } from '../helpers/lint.js';

const BAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    app: w\n';
const FLOW =
  '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "flow"},\n "spec": {"nodeName": "virtual-node-aci-linux", "containers": [{"name": "a", "image": "nginx", "args": ["x"]}]}}\n';

/** Documents of every shape the splitter and the locator know, with markers that are and are not document starts. */
const TEXT = [
  '%YAML 1.2\n---\n# Source: chart/templates/a.yaml\n' +
    pod(`containers:\n${ctr('args: [--port, "80"]')}`, { name: 'a' }),
  '--- # a marker with a comment\n' + workload('Deployment', `containers:\n${ctr('workingDir: /srv')}`, { name: 'b' }),
  '---\n' + BAD,
  '---\n\n# only a comment\n',
  '---\n' + FLOW,
  '---\n' +
    workload('StatefulSet', `containers:\n${ctr('lifecycle:\n  postStart:\n    exec:\n      command: [x]')}`, {
      name: 'c',
    }),
  '...\n---\n' + pod(`containers:\n${ctr('env:\n  - name: X\n    value: "----"')}`, { name: 'd' }),
  '---\n' + SERVICE,
].join('');

/** Every call a sink gets, in order. */
function recorder() {
  const calls: unknown[] = [];
  const sink: LintSink & { calls: unknown[] } = {
    calls,
    findings: (batch, ignored) => calls.push({ batch: [...batch], ignored }),
    problem: (p) => calls.push({ problem: p }),
    rendered: (items, ignored) => calls.push({ items: [...items], ignored }),
  };
  return sink;
}

/** Lints the text cut into parts of about `size` characters, each on its own session, merged in order. */
function lintInParts(text: string, size: number, render?: (f: LocatedFinding) => string) {
  const sink = recorder();
  const session = new LintSession({}, sink);
  session.countInput();
  const parts = splitAtMarkers(text, size);
  // Through a structured clone, as a worker thread posts it.
  for (const part of parts)
    session.merge(structuredClone(LintSession.lintPart({}, { name: 'm.yaml', ...part }, render)) as PartResult);
  return { calls: sink.calls, counts: session.finish(), parts };
}

function lintWhole(text: string) {
  const sink = recorder();
  const session = new LintSession({}, sink);
  session.addText('m.yaml', text);
  return { calls: sink.calls, counts: session.finish() };
}

describe('splitAtMarkers', () => {
  it('cuts only at --- lines, into parts that make up the text, each with the line it starts on', () => {
    const parts = splitAtMarkers(TEXT, 100);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.map((p) => p.text).join('')).toBe(TEXT);
    for (const [i, p] of parts.entries()) {
      if (i > 0) expect(p.text).toMatch(/^---(\s|$)/);
      expect(p.firstLine).toBe(TEXT.slice(0, TEXT.indexOf(p.text)).split('\n').length - 1);
    }
    // `----` and `---` inside a value are no markers.
    expect(parts.some((p) => p.text.startsWith('----'))).toBe(false);
  });

  it('leaves a text no larger than the size whole', () => {
    expect(splitAtMarkers(TEXT, TEXT.length)).toEqual([{ text: TEXT, firstLine: 0 }]);
  });

  it('parsing the parts gives the documents, lines and errors of parsing the whole', () => {
    const place = (text: string, firstLine = 0) =>
      [...parseSource(text, firstLine)].map((item) =>
        'error' in item
          ? { error: item.error.line, col: item.error.col }
          : {
              value: item.document.value,
              source: item.document.helmSource,
              at: [
                item.document.locate([]),
                item.document.locate(['metadata', 'name']),
                item.document.locate(['spec', 'containers', 0, 'image']),
              ],
            },
      );
    const whole = place(TEXT);
    expect(whole.filter((d) => 'error' in d)).toHaveLength(1);
    for (const size of [1, 150, 400, 1000])
      expect(splitAtMarkers(TEXT, size).flatMap((p) => place(p.text, p.firstLine))).toEqual(whole);
  });
});

describe('LintSession.lintPart and merge', () => {
  it('give the sink the calls and counts of linting the whole text, a parse error and a Service included', () => {
    const whole = lintWhole(TEXT);
    expect(whole.counts.problems).toBe(1);
    expect(whole.counts.related).toBe(1);
    expect(whole.calls.some((c) => JSON.stringify(c).includes('LNT-SVC-001'))).toBe(true);
    for (const size of [1, 300, 2000]) {
      const parts = lintInParts(TEXT, size);
      expect(parts.parts.length).toBeGreaterThan(size === 2000 ? 1 : 4);
      expect(parts.calls).toEqual(whole.calls);
      expect(parts.counts).toEqual(whole.counts);
    }
  });

  it('hand the findings of a part rendered to the sink as those strings, in the same order', () => {
    const render = (f: LocatedFinding) => `${f.rule}@${f.line}:${f.col}`;
    const whole = lintWhole(TEXT).calls as ({ batch: LocatedFinding[]; ignored: number } | { problem: unknown })[];
    const parts = lintInParts(TEXT, 300, render).calls;
    // The Service is linted at the end of the run, on the main thread: its findings stay objects.
    expect(parts.at(-1)).toEqual(whole.at(-1));
    expect(parts.slice(0, -1)).toEqual(
      whole.slice(0, -1).map((c) => ('batch' in c ? { items: c.batch.map(render), ignored: c.ignored } : c)),
    );
    expect(parts.filter((c) => 'items' in (c as object)).length).toBeGreaterThan(3);
  });
});
