// YAML/JSON text → documents with positions. js-yaml builds the values (several times faster than the `yaml`
// package's document model, which the speed goal needs); positions come from the block-style locator, and only when
// it cannot follow a path (flow style, JSON, anchors) from the `yaml` package's source ranges (LineCounter).
import { load, YAMLException } from 'js-yaml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { locateBlock } from './locate.js';
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
}

/** A document that does not parse, with where the parser stopped. */
export interface SourceError {
  index: number;
  line: number;
  col: number;
  message: string;
}

const SEPARATOR = /^---(?:\s|$)/;
const END = /^\.\.\.(?:\s|$)/;

/** Splits multi-document YAML on `---` and `...` lines (a document marker can only stand at column 0 by the spec). */
function splitDocuments(text: string): { start: number; lines: string[] }[] {
  const lines = text.split(/\r?\n/);
  const docs: { start: number; lines: string[] }[] = [];
  let start = 0;
  let current: string[] = [];
  const flush = () => {
    if (current.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) docs.push({ start, lines: current });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (
      SEPARATOR.test(line) ||
      END.test(line) ||
      (line.startsWith('%') &&
        docs.length === 0 &&
        current.every((l) => l.trim() === '' || l.startsWith('#') || l.startsWith('%')))
    ) {
      if (!line.startsWith('%')) {
        flush();
        current = [];
        start = i + 1;
      }
      continue;
    }
    current.push(line);
  }
  flush();
  return docs;
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

/** Position of a path through the `yaml` package's nodes (the exact, slower way). */
function locateExact(text: string, path: readonly PathSegment[]): { line: number; col: number } | undefined {
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

/** Parses a file's text into documents (each with a locator) and the documents that failed to parse. */
export function parseSource(text: string): { documents: SourceDocument[]; errors: SourceError[] } {
  const documents: SourceDocument[] = [];
  const errors: SourceError[] = [];
  splitDocuments(text).forEach((part, index) => {
    const docText = part.lines.join('\n');
    let value: unknown;
    try {
      value = load(docText, { json: true });
    } catch (error) {
      const mark =
        error instanceof YAMLException
          ? (error as YAMLException & { mark?: { line: number; column: number } }).mark
          : undefined;
      errors.push({
        index,
        line: part.start + (mark?.line ?? 0) + 1,
        col: (mark?.column ?? 0) + 1,
        message: error instanceof YAMLException ? error.reason : String(error),
      });
      return;
    }
    if (value === null || value === undefined) return;
    const source = part.lines.find((l) => l.startsWith('# Source: '));
    documents.push({
      index,
      value,
      ...(source ? { helmSource: source.slice('# Source: '.length).trim() } : {}),
      locate(path) {
        const prefix = existingPrefix(value, path);
        const pos = locateBlock(part.lines, prefix) ?? locateExact(docText, prefix) ?? { line: 0, col: 0 };
        return { line: part.start + pos.line + 1, col: pos.col + 1 };
      },
    });
  });
  return { documents, errors };
}
