// One lint run over many inputs: each document is linted and handed to the sink at once (so memory does not grow
// with the findings of files already reported); Services, NetworkPolicies and HPAs wait for the end, when every
// workload of the run is known.
import {
  formatPath,
  isWorkloadKind,
  lintObject,
  lintRelatedObject,
  RELATED_KINDS,
  type LintOptions,
  type ObjectLint,
} from './lint.js';
import { list, obj } from './pod.js';
import { locatorOf, parseSource, type DetachedDocument, type SourcePosition } from './source.js';
import type { Finding, Obj, ObjectRef, PathSegment, TargetedWorkload } from './types.js';

/** A finding with where it is: file, line and column (none for live objects), object and path. */
export interface LocatedFinding extends Omit<Finding, 'path'> {
  /** `spec.template.spec.containers[0].args`. */
  path: string;
  segments: PathSegment[];
  object: ObjectRef;
  /** File name as given (`stdin` for -), or undefined for objects read from a cluster. */
  file?: string;
  line?: number;
  col?: number;
  /** The helm template the document came from (`# Source:`). */
  helmSource?: string;
}

/** Input that could not be read or parsed: reported, and the run exits 2, but the other inputs are still linted. */
export interface InputProblem {
  file: string;
  line?: number;
  col?: number;
  message: string;
  /** What the user can do about it (every error vnodes prints has one). */
  fix?: string;
}

/** Where results go as they are found. */
export interface LintSink {
  /** Findings of one document (or object), in path order. */
  findings(batch: readonly LocatedFinding[], ignored: number): void;
  problem(p: InputProblem): void;
  /** Findings of one document that a worker thread rendered already, one string each, for a sink that takes them. */
  rendered?(items: readonly string[], ignored: number): void;
}

/** The summary of a run. */
export interface LintCounts {
  inputs: number;
  documents: number;
  /** Workload objects seen (Pods, Deployments...). */
  workloads: number;
  /** Workloads linted (targeting the virtual node, or all with --all). */
  linted: number;
  /** Workloads that do not target the virtual node and were not linted. */
  outOfScope: number;
  /** Workloads that only tolerate the taint: linted, with fail softened to warn. */
  mayLand: number;
  /** Services, NetworkPolicies and HPAs checked. */
  related: number;
  /** Objects of other kinds, skipped. */
  otherKinds: number;
  fail: number;
  warn: number;
  info: number;
  ignored: number;
  problems: number;
}

/** Where one object came from, to place its findings. */
interface Origin {
  file?: string;
  locate?: (path: readonly PathSegment[]) => SourcePosition;
  /** Its document without the file's text, for objects kept until the end of the run. */
  detach?: () => DetachedDocument;
  prefix: PathSegment[];
  helmSource?: string;
}

/** A Service, NetworkPolicy or HPA kept for the end of the run, as plain data (a worker thread posts it). */
interface RelatedEntry {
  o: Obj;
  file?: string;
  prefix: PathSegment[];
  helmSource?: string;
  source?: DetachedDocument;
}

/** One call of the sink, recorded. */
type SinkEvent =
  { batch: LocatedFinding[]; ignored: number } | { items: string[]; ignored: number } | { problem: InputProblem };

/**
 * What linting part of a file gave, as plain data, so a worker thread can post it to the run's session: the sink
 * calls in order, the counts, and what the object rules need at the end of the run.
 */
export interface PartResult {
  events: SinkEvent[];
  counts: LintCounts;
  workloads: TargetedWorkload[];
  related: RelatedEntry[];
}

/**
 * A copy whose strings are its own: strings the YAML parser cut from a file's text are slices that keep the whole file
 * alive in V8, and these objects outlive their file.
 */
const detachStrings = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * A string of its own. V8 copies substrings shorter than 13 characters rather than point into their parent, so only
 * longer ones (a long name or label) need a copy: this runs for every workload of a run.
 */
const own = (s: string): string => (s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string));

/** detachStrings for a workload, without the round trip of the whole object. */
function detachWorkload(w: TargetedWorkload): TargetedWorkload {
  const labels: Record<string, string> = {};
  for (const k in w.labels) labels[own(k)] = own(w.labels[k]!);
  return {
    ref: { kind: own(w.ref.kind), namespace: own(w.ref.namespace), name: own(w.ref.name) },
    labels,
    serviceAccount: own(w.serviceAccount),
  };
}

/** Counts of a run that has seen nothing yet. */
export const emptyCounts = (): LintCounts => ({
  inputs: 0,
  documents: 0,
  workloads: 0,
  linted: 0,
  outOfScope: 0,
  mayLand: 0,
  related: 0,
  otherKinds: 0,
  fail: 0,
  warn: 0,
  info: 0,
  ignored: 0,
  problems: 0,
});

/** A lint run; add inputs, then `finish()`. */
export class LintSession {
  readonly counts: LintCounts = emptyCounts();
  private readonly workloads: TargetedWorkload[] = [];
  private readonly related: RelatedEntry[] = [];

  /** `detach`: copy what is kept to the end of the run off the file's text (a part's session, posted, needs not). */
  constructor(
    private readonly options: LintOptions,
    private readonly sink: LintSink,
    private readonly detach = true,
  ) {}

  /** Lints the text of one file (`name` as shown: a path, or `stdin`). */
  addText(name: string, text: string): void {
    this.counts.inputs++;
    this.addPart(name, text, 0);
  }

  /** Counts an input whose parts are linted elsewhere (worker threads) and merged. */
  countInput(): void {
    this.counts.inputs++;
  }

  /**
   * Lints part of a file, as cut by splitAtMarkers, on its own: what a worker thread runs. With `render`, findings
   * come as the strings it makes of them (posted far more cheaply than the objects), for a sink that takes `rendered`.
   */
  static lintPart(
    options: LintOptions,
    part: { name: string; text: string; firstLine: number },
    render?: (f: LocatedFinding) => string,
  ): PartResult {
    const events: SinkEvent[] = [];
    const session = new LintSession(
      options,
      {
        findings: (batch, ignored) =>
          // emit() hands over a fresh array per document.
          events.push(render ? { items: batch.map(render), ignored } : { batch: batch as LocatedFinding[], ignored }),
        problem: (p) => events.push({ problem: p }),
      },
      false,
    );
    session.addPart(part.name, part.text, part.firstLine);
    return { events, counts: session.counts, workloads: session.workloads, related: session.related };
  }

  /** Takes in what lintPart gave for the next part of the input, as if this session had linted it. */
  merge(part: PartResult): void {
    for (const e of part.events)
      if ('problem' in e) this.sink.problem(e.problem);
      else if ('batch' in e) this.sink.findings(e.batch, e.ignored);
      else if (this.sink.rendered) this.sink.rendered(e.items, e.ignored);
      else throw new Error('This lint sink does not take rendered findings.');
    for (const key of Object.keys(part.counts) as (keyof LintCounts)[])
      if (key !== 'inputs') this.counts[key] += part.counts[key];
    for (const w of part.workloads) this.workloads.push(w);
    for (const r of part.related) this.related.push(r);
  }

  private addPart(name: string, text: string, firstLine: number): void {
    for (const item of parseSource(text, firstLine)) {
      if ('error' in item) {
        const e = item.error;
        this.problem({
          file: name,
          line: e.line,
          col: e.col,
          message: `YAML/JSON parse error: ${e.message}`,
          fix: `Fix the syntax at ${name}:${e.line ?? 1} (helm template or kubectl apply --dry-run=client -f shows it too); the other inputs were still linted.`,
        });
        continue;
      }
      const doc = item.document;
      this.counts.documents++;
      const origin: Origin = {
        file: name,
        locate: doc.locate,
        detach: doc.detached,
        prefix: [],
        ...(doc.helmSource ? { helmSource: doc.helmSource } : {}),
      };
      this.addValue(doc.value, origin);
    }
  }

  /** Lints objects read from a cluster (no source positions). */
  addObjects(objects: readonly Obj[]): void {
    for (const o of objects) this.addValue(o, { prefix: [] });
  }

  /** Reports an input that could not be read. */
  problem(p: InputProblem): void {
    this.counts.problems++;
    this.sink.problem(p);
  }

  private addValue(value: unknown, origin: Origin): void {
    const o = obj(value);
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      list(o.items).forEach((item, i) => this.addValue(item, { ...origin, prefix: [...origin.prefix, 'items', i] }));
      return;
    }
    if (isWorkloadKind(o.kind)) {
      this.counts.workloads++;
      const result = lintObject(o, this.options)!;
      if (!result.inScope) {
        this.counts.outOfScope++;
        return;
      }
      this.counts.linted++;
      if (result.targeting === 'may') this.counts.mayLand++;
      if (result.workload && result.targeting !== 'none')
        this.workloads.push(this.detach ? detachWorkload(result.workload) : result.workload);
      this.emit(result, origin);
    } else if (RELATED_KINDS.includes(String(o.kind))) {
      // Kept until finish(): hold this document's text only, not its whole file's.
      this.related.push({
        o: detachStrings(o),
        prefix: origin.prefix,
        ...(origin.file !== undefined ? { file: origin.file } : {}),
        ...(origin.helmSource ? { helmSource: origin.helmSource } : {}),
        ...(origin.detach ? { source: origin.detach() } : {}),
      });
    } else {
      this.counts.otherKinds++;
    }
  }

  private emit(result: ObjectLint, origin: Origin): void {
    this.counts.ignored += result.ignored.length;
    const batch = result.findings
      .map((f) => this.place(f, result.ref, origin))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    for (const f of batch) this.counts[f.severity]++;
    if (batch.length || result.ignored.length) this.sink.findings(batch, result.ignored.length);
  }

  private place(f: Finding, ref: ObjectRef, origin: Origin): LocatedFinding {
    const segments = origin.prefix.length ? [...origin.prefix, ...f.path] : f.path;
    const pos = origin.locate?.(segments);
    // Once per finding: plain assignments, not spreads of small objects.
    const placed: LocatedFinding = {
      rule: f.rule,
      severity: f.severity,
      path: formatPath(f.path),
      segments,
      message: f.message,
      fix: f.fix,
      object: ref,
    };
    if (origin.file !== undefined) placed.file = origin.file;
    if (pos) {
      placed.line = pos.line;
      placed.col = pos.col;
    }
    if (origin.helmSource) placed.helmSource = origin.helmSource;
    return placed;
  }

  /** Runs the object rules against every workload seen, then returns the counts. */
  finish(): LintCounts {
    for (const { o, source, ...origin } of this.related) {
      this.counts.related++;
      const result = lintRelatedObject(o, this.workloads, this.options);
      if (result) this.emit(result, source ? { ...origin, locate: locatorOf(source) } : origin);
    }
    this.related.length = 0;
    return this.counts;
  }
}
