// YAML/JSON text → documents with positions. js-yaml builds the values (several times faster than the `yaml`
// package's document model, which the speed goal needs); positions come from the block-style locator, and only when
// it cannot follow a path (flow style, JSON, anchors) from the `yaml` package's source ranges (LineCounter).
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, YAMLException, type Type } from 'js-yaml';
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';
import { locateBlock, type LocateCache } from './locate.js';
import type { PathSegment } from './types.js';

/** 1-based line and column in a file, as editors and SARIF count. */
export interface SourcePosition {
  line: number;
  col: number;
}

/** One parsed document of a file. */
export interface SourceDocument {
  /** 0-based index of the document in its file. */
  index: number;
  value: unknown;
  /** The `# Source: chart/templates/x.yaml` comment helm template puts before each document. */
  helmSource?: string;
  /** Where a field path is (the deepest part of it that exists); the document start for []. */
  locate(path: readonly PathSegment[]): SourcePosition;
  /**
   * The document as plain data that holds nothing of its file (a worker thread can post it), for callers that keep it
   * after the file is done; `locatorOf` places paths in it.
   */
  detached(): DetachedDocument;
}

/** A document's value and text, copied off its file's text, and the 0-based line it starts on. */
export interface DetachedDocument {
  value: unknown;
  text: string;
  start: number;
}

/** A document that does not parse, with where the parser stopped. */
export interface SourceError {
  index: number;
  line: number;
  col: number;
  message: string;
}

/**
 * YAML 1.2 core types plus merge keys (`<<: *defaults`): no timestamps, so `2026-01-01` stays the string Kubernetes
 * reads, and no js-yaml extras.
 */
const SCHEMA = CORE_SCHEMA.extend({
  // js-yaml exports its types at run time; @types/js-yaml does not declare them.
  implicit: [(jsYaml as unknown as { types: { merge: Type } }).types.merge],
});

/** The comment helm template writes before each document. */
const HELM_SOURCE = /^# Source: (.+)$/m;

/** The first four characters of a line that is a document marker (`---`, `...`, optionally followed by a space). */
const SEPARATOR_OR_END = /^(?:---|\.\.\.)(?:\s|$)/;

/**
 * Splits multi-document YAML on `---` and `...` lines (a document marker can only stand at column 0 by the spec), one
 * document at a time, so a big file's earlier documents can be dropped once linted. Documents are slices of the text
 * (cheap in V8); `start` is the 0-based line of a document's first line.
 */
function* splitDocuments(text: string, firstLine: number): Generator<{ start: number; text: string }> {
  let start = firstLine;
  let from = 0;
  let content = false;
  let seenMarker = false;
  let lineNo = firstLine;
  for (let at = 0; at <= text.length; lineNo++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(at);
    if ((c === 45 /* - */ || c === 46) /* . */ && SEPARATOR_OR_END.test(text.slice(at, Math.min(end, at + 4)))) {
      if (content) yield { start, text: text.slice(from, at) };
      seenMarker = true;
      content = false;
      start = lineNo + 1;
      from = end + 1;
    } else if (!content) {
      let i = at;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) i++;
      // Blank lines, comments and, before the first marker, directives (%YAML) hold no document.
      const k = text.charCodeAt(i);
      if (i < end && k !== 35 /* # */ && !(k === 37 /* % */ && !seenMarker && i === at)) content = true;
    }
    at = end + 1;
  }
  if (content) yield { start, text: text.slice(from) };
}

/** A `---` line at `at` (a line start), as splitDocuments sees one. */
const isStartMarker = (text: string, at: number): boolean =>
  text.startsWith('---', at) && SEPARATOR_OR_END.test(text.slice(at, at + 4));

/**
 * Cuts a file's text into parts of about `size` characters, each starting at a `---` line (but the first), with the
 * 0-based line each starts on. Parsing the parts with `parseSource(part.text, part.firstLine)` in turn gives the same
 * documents, lines and columns as parsing the whole text: the splitter ends a document at each such line either way.
 */
export function splitAtMarkers(text: string, size: number): { text: string; firstLine: number }[] {
  const parts: { text: string; firstLine: number }[] = [];
  let from = 0;
  let line = 0;
  while (text.length - from > size) {
    let at = text.indexOf('\n---', from + size);
    while (at >= 0 && !isStartMarker(text, at + 1)) at = text.indexOf('\n---', at + 4);
    if (at < 0) break;
    const cut = at + 1;
    parts.push({ text: text.slice(from, cut), firstLine: line });
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < cut; nl = text.indexOf('\n', nl + 1)) line++;
    from = cut;
  }
  parts.push({ text: from ? text.slice(from) : text, firstLine: line });
  return parts;
}

/** The value at a path: the longest prefix of the path that exists. */
function existingPrefix(value: unknown, path: readonly PathSegment[]): readonly PathSegment[] {
  let cur = value;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return path.slice(0, i);
    const next = (cur as Record<string | number, unknown>)[path[i]!];
    if (next === undefined) return path.slice(0, i);
    cur = next;
  }
  return path;
}

let yamlPackage: typeof import('yaml') | undefined;

/** Position of a path through the `yaml` package's nodes (the exact, slower way). */
function locateExact(text: string, path: readonly PathSegment[]): { line: number; col: number } | undefined {
  // Loaded on first need: block-style input never needs it, and it costs more to load than js-yaml.
  const { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } = (yamlPackage ??= createRequire(
    import.meta.url,
  )('yaml') as typeof import('yaml'));
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as YamlNode | null)?.range?.[0];
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) break;
      offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const p = lineCounter.linePos(offset);
  return { line: p.line - 1, col: p.col - 1 };
}

/** Where paths of one document are, with the nodes found so far cached; lines are split on first use. */
function locator(value: unknown, docText: string, start: number): (path: readonly PathSegment[]) => SourcePosition {
  const cache: LocateCache = {};
  let lines: string[] | undefined;
  return (path) => {
    const prefix = existingPrefix(value, path);
    // A split on one character is several times faster than on a pattern; CRLF text is rare.
    lines ??= docText.includes('\r') ? docText.split(/\r?\n/) : docText.split('\n');
    const pos = locateBlock(lines, prefix, cache) ?? locateExact(docText, prefix) ?? { line: 0, col: 0 };
    return { line: start + pos.line + 1, col: pos.col + 1 };
  };
}

/** A document of a file, or the error that stopped it from parsing; one at a time, in file order. */
export type SourceItem = { document: SourceDocument } | { error: SourceError };

/** Where the paths of a detached document are. */
export const locatorOf = (doc: DetachedDocument): ((path: readonly PathSegment[]) => SourcePosition) =>
  locator(doc.value, doc.text, doc.start);

/**
 * Parses a file's text document by document; each comes with a locator for its field paths. `firstLine` (0-based) is
 * where the text starts in its file, for a part of a file cut at a `---` line (splitAtMarkers).
 */
export function* parseSource(text: string, firstLine = 0): Generator<SourceItem> {
  let index = 0;
  for (const part of splitDocuments(text, firstLine)) {
    const i = index++;
    const docText = part.text;
    let value: unknown;
    try {
      value = load(docText, { schema: SCHEMA, json: true });
    } catch (error) {
      const mark =
        error instanceof YAMLException
          ? (error as YAMLException & { mark?: { line: number; column: number } }).mark
          : undefined;
      yield {
        error: {
          index: i,
          line: part.start + (mark?.line ?? 0) + 1,
          col: (mark?.column ?? 0) + 1,
          message: error instanceof YAMLException ? error.reason : String(error),
        },
      };
      continue;
    }
    if (value === null || value === undefined) continue;
    // A plain search first: the multi-line pattern costs more on each of the many documents without one.
    const source = docText.includes('# Source: ') ? HELM_SOURCE.exec(docText)?.[1] : undefined;
    const locate = locator(value, docText, part.start);
    yield {
      document: {
        index: i,
        value,
        ...(source ? { helmSource: source.trim() } : {}),
        locate,
        // A slice keeps its whole file alive in V8; a copy (through a Buffer, or JSON for the value) does not.
        detached: () => ({
          value: JSON.parse(JSON.stringify(value)) as unknown,
          text: Buffer.from(docText, 'utf8').toString('utf8'),
          start: part.start,
        }),
      },
    };
  }
}
