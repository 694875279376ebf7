// The three renderings of a lint run, each a streaming sink: findings are written as each document is linted, so a
// run over many files holds only the current one. Table for people, one JSON document, or SARIF 2.1.0.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleInfo } from '../workloads/types.js';
import type { InputProblem, LintCounts, LintSink, LocatedFinding } from '../workloads/session.js';
import { jsonPointer } from '../workloads/lint.js';
import { ruleAnchor } from '../workloads/registry.js';
import type { OutputStream } from '../deps.js';
import { renderJson, SCHEMA_VERSION } from './render.js';
import { renderTable } from './table.js';
import type { Style } from './style.js';

/** What the run was, for headers and footers. */
export interface LintRunInfo {
  stack: string;
  all: boolean;
  strict: boolean;
  version: string;
  /** Live mode: what was read, by kind and namespace scope. */
  read?: { kind: string; scope: string; count: number }[];
}

/** A streaming sink that also writes the end of the document. */
interface DocumentWriter extends LintSink {
  /** Findings already rendered by `findingRenderer` of the same format, one string each. */
  rendered(items: readonly string[]): void;
  end(counts: LintCounts, info: LintRunInfo): void;
}

/** The sink of a run, its stdout buffered. */
export interface LintWriter extends DocumentWriter {
  /** Writes out what is buffered (end() does it too): for a run that stops half way. */
  flush(): void;
}

/** Bytes gathered before a write: one write per document cost a system call each, and a blocked pipe as many waits. */
const CHUNK = 64 * 1024;

/**
 * A stream that gathers small writes into chunks of about 64 KiB. A terminal gets every write at once, as a person
 * watches it.
 */
function buffered(stream: OutputStream): OutputStream & { flush(): void } {
  if (stream.isTTY) return { write: (s) => stream.write(s), isTTY: true, flush() {} };
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (!size) return;
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    size = 0;
    stream.write(text);
  };
  return {
    write(s) {
      parts.push(s);
      size += s.length;
      if (size >= CHUNK) flush();
      return true;
    },
    isTTY: false,
    flush,
  };
}

const where = (f: LocatedFinding): string =>
  f.file === undefined ? 'live (no source line)' : `${f.file}:${f.line ?? 1}:${f.col ?? 1}`;
const objectName = (f: LocatedFinding): string =>
  f.object.namespace ? `${f.object.kind}/${f.object.namespace}/${f.object.name}` : `${f.object.kind}/${f.object.name}`;

/** One line of totals, shared by the table footer and stderr. */
export function summaryLine(c: LintCounts): string {
  const parts = [
    `${c.linted} workload(s) linted`,
    `${c.outOfScope} out of scope (not targeting the virtual node; --all lints them)`,
  ];
  if (c.mayLand) parts.push(`${c.mayLand} only tolerate the taint (fail shown as warn)`);
  if (c.related) parts.push(`${c.related} Service/NetworkPolicy/HPA checked`);
  if (c.otherKinds) parts.push(`${c.otherKinds} other object(s) skipped`);
  const totals = `${c.fail} fail, ${c.warn} warn, ${c.info} info, ${c.ignored} ignored${c.problems ? `, ${c.problems} input error(s)` : ''}`;
  return `${parts.join(', ')}. ${totals}.`;
}

/** One finding in the table: its block of lines. */
function tableBlock(f: LocatedFinding, style: Style): string {
  const mark = f.severity === 'info' ? (style.color ? style.chalk.cyan('i') : 'info') : style.status(f.severity);
  return (
    `${where(f)}  ${objectName(f)}  ${mark} ${f.rule}  ${style.chalk.bold(f.path)}\n` +
    `  ${f.message}\n  ${style.chalk.cyan('fix:')} ${f.fix}\n` +
    (f.helmSource ? style.chalk.dim(`  from ${f.helmSource}\n`) : '')
  );
}

/** Human rendering: one block per finding, then the totals. Input errors go to stderr as they happen. */
function tableWriter(stdout: OutputStream, stderr: OutputStream, style: Style): DocumentWriter {
  const rendered = (items: readonly string[]) => {
    if (items.length) stdout.write(items.join(''));
  };
  return {
    findings: (batch) => rendered(batch.map((f) => tableBlock(f, style))),
    rendered,
    problem(p) {
      stderr.write(`${style.chalk.red('error:')} ${p.file}${p.line ? `:${p.line}:${p.col ?? 1}` : ''}: ${p.message}\n`);
      if (p.fix) stderr.write(`${style.chalk.cyan('fix:')} ${p.fix}\n`);
    },
    end(counts, info) {
      const read = info.read?.length
        ? `Read from ${info.read[0]!.scope}: ${info.read.map((r) => `${r.count} ${r.kind}`).join(', ')}.\n`
        : '';
      stdout.write(
        `${counts.fail + counts.warn + counts.info ? '\n' : ''}${read}${summaryLine(counts)} Stack ${info.stack}.\n`,
      );
    },
  };
}

/** Elements of a JSON array written as they come, each on a line of its own after `indent`. */
function arrayElements(stdout: OutputStream, indent: string) {
  let first = true;
  return {
    write(items: readonly string[]) {
      let text = '';
      for (const item of items) {
        text += `${first ? '\n' : ',\n'}${indent}${item}`;
        first = false;
      }
      if (text) stdout.write(text);
    },
    none: () => first,
  };
}

/** Keys of a finding as JSON. */
const q = JSON.stringify;

/**
 * What a finding shares with the one before it, as JSON: the findings of one object come together (a batch per
 * document), so their rule/severity, file and object are written once and reused.
 */
const shared = {
  rule: '',
  severity: '',
  head: '',
  file: undefined as string | undefined,
  fileJson: '',
  object: undefined as LocatedFinding['object'] | undefined,
  objectJson: '',
};

/** A finding as one line of JSON, written by hand: this runs for every finding of a big run. */
function findingJson(f: LocatedFinding): string {
  const c = shared;
  if (f.rule !== c.rule || f.severity !== c.severity) {
    c.rule = f.rule;
    c.severity = f.severity;
    c.head = `{"rule":${q(f.rule)},"severity":${q(f.severity)},`;
  }
  if (f.file !== undefined && f.file !== c.file) {
    c.file = f.file;
    c.fileJson = `"file":${q(f.file)},"line":`;
  }
  const o = f.object;
  if (o !== c.object) {
    c.object = o;
    c.objectJson = `"object":{"kind":${q(o.kind)},"namespace":${q(o.namespace)},"name":${q(o.name)}},"path":`;
  }
  return (
    c.head +
    (f.file !== undefined ? `${c.fileJson}${f.line ?? 1},"col":${f.col ?? 1},` : '"live":true,') +
    `${c.objectJson}${q(f.path)},"pointer":${q(jsonPointer(f.segments))},"message":${q(f.message)},"fix":${q(f.fix)}` +
    (f.helmSource ? `,"helmSource":${q(f.helmSource)}}` : '}')
  );
}

/** `-o json`: one document, `findings` streamed element by element. */
function jsonWriter(stdout: OutputStream): DocumentWriter {
  const problems: InputProblem[] = [];
  const items = arrayElements(stdout, '    ');
  stdout.write(`{\n  "schemaVersion": ${SCHEMA_VERSION},\n  "kind": "lint",\n  "findings": [`);
  return {
    findings: (batch) => items.write(batch.map(findingJson)),
    rendered: items.write,
    problem(p) {
      problems.push(p);
    },
    end(counts, info) {
      const tail = {
        stack: info.stack,
        all: info.all,
        strict: info.strict,
        ...(info.read ? { read: info.read } : {}),
        problems,
        counts,
      };
      const body = JSON.stringify(tail, null, 2).slice(1, -1);
      stdout.write(`${items.none() ? '' : '\n  '}],${body}}\n`);
    },
  };
}

/** The SARIF level of a severity. */
const level = (s: string) => (s === 'fail' ? 'error' : s === 'warn' ? 'warning' : 'note');

/** A SARIF artifact URI: relative paths as URI references (`k8s/a.yaml`), absolute ones as file: URLs, `stdin` as is. */
const artifactUri = (file: string): string =>
  isAbsolute(file) ? pathToFileURL(file).href : encodeURI(file.split('\\').join('/'));

/** SARIF reportingDescriptor for a rule: help text and the docs link. */
function sarifRule(r: RuleInfo) {
  const stacks = Object.entries(r.severity)
    .map(([stack, sev]) => `${stack}: ${sev}`)
    .join(', ');
  const docs = ruleAnchor(r.id);
  return {
    id: r.id,
    // SARIF wants a friendly name in Pascal case (§3.49.7).
    name: r.title
      .replace(/[^A-Za-z0-9 ]+/g, ' ')
      .split(' ')
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.help },
    help: {
      text: `${r.help} (${stacks}) See ${docs}.`,
      markdown: `${r.help}\n\nSeverity: ${stacks}. See [${r.id}](${docs}).`,
    },
    defaultConfiguration: { level: level(r.severity.v1 ?? r.severity.v2 ?? 'warn') },
    properties: { docs, evidence: r.evidence, severity: r.severity },
  };
}

/** One SARIF result, as JSON: `index` maps rule ids to their place in the driver's rules. */
function sarifResult(f: LocatedFinding, index: ReadonlyMap<string, number>): string {
  const logical = { fullyQualifiedName: `${objectName(f)}:${f.path}`, name: f.path, kind: 'object' };
  return JSON.stringify({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule) ?? -1,
    level: level(f.severity),
    message: {
      text: `${f.message} Fix: ${f.fix}${f.file === undefined ? ' (Read from the cluster: no source line.)' : ''}`,
    },
    locations: [
      f.file === undefined
        ? { logicalLocations: [logical] }
        : {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(f.file) },
              region: { startLine: f.line ?? 1, startColumn: f.col ?? 1 },
            },
            logicalLocations: [logical],
          },
    ],
    properties: {
      object: f.object,
      path: f.path,
      pointer: jsonPointer(f.segments),
      fix: f.fix,
      ...(f.helmSource ? { helmSource: f.helmSource } : {}),
    },
  });
}

const ruleIndex = (rules: readonly RuleInfo[]) => new Map(rules.map((r, i) => [r.id, i]));

/**
 * How a format writes one finding, a pure function of it: a worker thread runs it (commands/lint-worker.ts) and the
 * writer of the same format puts what it gives in place with `rendered`.
 */
export function findingRenderer(
  format: 'table' | 'json' | 'sarif',
  style: Style,
  rules: readonly RuleInfo[],
): (f: LocatedFinding) => string {
  if (format === 'table') return (f) => tableBlock(f, style);
  if (format === 'json') return findingJson;
  const index = ruleIndex(rules);
  return (f) => sarifResult(f, index);
}

/** `-o sarif`: SARIF 2.1.0 with one descriptor per rule and real regions; results streamed. */
export function sarifWriter(stdout: OutputStream, rules: readonly RuleInfo[], version: string): DocumentWriter {
  const index = ruleIndex(rules);
  const problems: InputProblem[] = [];
  const items = arrayElements(stdout, '');
  const driver = { name: 'vnodes', semanticVersion: version, version, rules: rules.map(sarifRule) };
  const head = JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' }).slice(
    0,
    -1,
  );
  stdout.write(`${head},"runs":[{"tool":${JSON.stringify({ driver })},\n"results":[`);
  return {
    findings: (batch) => items.write(batch.map((f) => sarifResult(f, index))),
    rendered: items.write,
    problem(p) {
      problems.push(p);
    },
    end(counts, info) {
      const invocation = {
        executionSuccessful: problems.length === 0,
        toolExecutionNotifications: problems.map((p) => ({
          level: 'error',
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(p.file) },
                ...(p.line ? { region: { startLine: p.line, startColumn: p.col ?? 1 } } : {}),
              },
            },
          ],
        })),
      };
      stdout.write(
        `\n],"invocations":[${JSON.stringify(invocation)}],"properties":${JSON.stringify({ stack: info.stack, counts })}}]}\n`,
      );
    },
  };
}

/** `vnodes lint --list`: one line per rule with its severity per stack. */
export function renderRuleList(rules: readonly RuleInfo[], style: Style): string {
  const rows = rules.map((r) => [r.id, r.severity.v1 ?? '-', r.severity.v2 ?? '-', r.title]);
  return (
    renderTable(['RULE', 'V1', 'V2', 'TITLE'], rows) +
    style.chalk.dim(`\n${rules.length} rules; details in docs/lint-rules.md.\n`)
  );
}

/** `vnodes lint --list -o json`. */
export function ruleListJson(rules: readonly RuleInfo[]): string {
  return renderJson('lint-rules', {
    rules: rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      help: r.help,
      evidence: r.evidence,
      docs: ruleAnchor(r.id),
    })),
  });
}

/**
 * The writer for an output format. In json and sarif the document carries input errors too, but a person watching
 * stderr should see them as they happen, so they go there as well.
 */
export function lintWriter(
  format: 'table' | 'json' | 'sarif',
  io: { stdout: OutputStream; stderr: OutputStream },
  style: Style,
  rules: readonly RuleInfo[],
  version: string,
): LintWriter {
  const stdout = buffered(io.stdout);
  const writer =
    format === 'table'
      ? tableWriter(stdout, io.stderr, style)
      : format === 'json'
        ? jsonWriter(stdout)
        : sarifWriter(stdout, rules, version);
  const onStderr = format === 'table' ? undefined : tableWriter(io.stderr, io.stderr, style);
  return {
    findings: (batch, ignored) => writer.findings(batch, ignored),
    rendered: (items) => writer.rendered(items),
    problem(p) {
      // What was found before the problem reaches stdout before the problem reaches stderr (`2>&1` keeps the order).
      stdout.flush();
      onStderr?.problem(p);
      writer.problem(p);
    },
    end(counts, info) {
      writer.end(counts, info);
      stdout.flush();
    },
    flush: () => stdout.flush(),
  };
}
