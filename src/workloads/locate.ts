// Line and column of a field path in block-style YAML, found by indentation alone. This is the fast path (helm
// template and kustomize build print block style); flow collections, anchors and anything it cannot follow return
// undefined and the caller asks the full YAML parser instead (source.ts).
import type { PathSegment } from './types.js';

/** A 0-based position within one document's text. */
export interface Position {
  line: number;
  col: number;
}

/** A node: the lines it may span, and the column its content starts at on its first line. */
interface Node {
  from: number;
  to: number;
  col: number;
}

const indentOf = (s: string): number => {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  return i;
};

/** A line that holds no node: blank, or a comment. */
const isVoid = (s: string, col = indentOf(s)): boolean => col >= s.length || s.charCodeAt(col) === 35; /* # */

/** The key of a `key: value` entry starting at col, and where its value starts; undefined if the text is not one. */
function entryKey(s: string, col: number): { key: string; valueCol: number } | undefined {
  const c = s[col];
  let key: string;
  let end: number;
  if (c === '"' || c === "'") {
    let i = col + 1;
    for (; i < s.length; i++) {
      if (c === '"' && s[i] === '\\') i++;
      else if (s[i] === c) {
        if (c === "'" && s[i + 1] === "'") i++;
        else break;
      }
    }
    if (i >= s.length) return undefined;
    const raw = s.slice(col, i + 1);
    try {
      key = c === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1).replace(/''/g, "'");
    } catch {
      return undefined;
    }
    end = i + 1;
    while (s[end] === ' ') end++;
    if (s[end] !== ':') return undefined;
  } else {
    if (c === '-' && (s[col + 1] === ' ' || s.length === col + 1)) return undefined;
    if (c === '{' || c === '[' || c === '&' || c === '*' || c === '!' || c === '?' || c === '|' || c === '>')
      return undefined;
    end = col;
    for (;;) {
      end = s.indexOf(':', end);
      if (end < 0) return undefined;
      if (end + 1 === s.length || s[end + 1] === ' ') break;
      end++;
    }
    key = s.slice(col, end).trimEnd();
  }
  let valueCol = end + 1;
  while (s[valueCol] === ' ') valueCol++;
  return { key, valueCol };
}

/** The first column holding content on the node's first line, or on the next non-void line. */
function contentStart(lines: readonly string[], node: Node): { line: number; col: number } | undefined {
  const first = lines[node.from];
  if (first !== undefined) {
    const col = Math.max(node.col, indentOf(first));
    if (!isVoid(first, col)) return { line: node.from, col };
  }
  for (let l = node.from + 1; l < node.to; l++) {
    const s = lines[l]!;
    const col = indentOf(s);
    if (!isVoid(s, col)) return { line: l, col };
  }
  return undefined;
}

/** The lines after `line` that belong to a node whose parent content is at `col` (deeper, or a `- ` item at col). */
function childEnd(lines: readonly string[], line: number, col: number, to: number, seqAtCol: boolean): number {
  let l = line + 1;
  for (; l < to; l++) {
    const s = lines[l]!;
    const c = indentOf(s);
    if (isVoid(s, c)) continue;
    if (c > col) continue;
    if (seqAtCol && c === col && isItem(s, c)) continue;
    break;
  }
  return l;
}

/** The value node of an entry whose key sits at (line, col) and whose value starts at valueCol. */
function valueNode(lines: readonly string[], line: number, col: number, valueCol: number, to: number): Node | 'scalar' {
  const s = lines[line]!;
  // An inline value is a leaf here: a scalar, a block scalar indicator, or a flow collection (source.ts falls back to
  // the full parser to go into one).
  if (valueCol < s.length && s[valueCol] !== '#') return 'scalar';
  let next = line + 1;
  while (next < to && isVoid(lines[next]!)) next++;
  const nextLine = lines[next];
  const seqAtCol = next < to && nextLine !== undefined && indentOf(nextLine) === col && isItem(nextLine, col);
  return { from: line + 1, to: childEnd(lines, line, col, to, seqAtCol), col: 0 };
}

/** The lines that start an entry or item of a node: those at its content column, until one dedents. */
function* siblings(lines: readonly string[], node: Node): Generator<{ line: number; col: number; text: string }> {
  const start = contentStart(lines, node);
  if (!start) return;
  for (let l = start.line; l < node.to; l++) {
    const text = lines[l]!;
    const c = l === start.line ? start.col : indentOf(text);
    if (l !== start.line && isVoid(text, c)) continue;
    if (c < start.col) return;
    if (c === start.col) yield { line: l, col: c, text };
  }
}

const isItem = (s: string, c: number): boolean => s[c] === '-' && (s[c + 1] === ' ' || s.length === c + 1);

/** The node for a key in a mapping node, with the key's position. */
function inMapping(
  lines: readonly string[],
  node: Node,
  key: string,
): { pos: Position; node: Node | 'scalar' } | undefined {
  for (const { line, col, text } of siblings(lines, node)) {
    const entry = entryKey(text, col);
    if (!entry) {
      // A `- ` item at the mapping's column belongs to the compact sequence of an earlier key; anything else is syntax
      // this fast path does not follow.
      if (isItem(text, col)) continue;
      return undefined;
    }
    if (entry.key === key) return { pos: { line, col }, node: valueNode(lines, line, col, entry.valueCol, node.to) };
  }
  return undefined;
}

/** The node of item `index` of a sequence node, with the item's position. */
function inSequence(lines: readonly string[], node: Node, index: number): { pos: Position; node: Node } | undefined {
  let seen = -1;
  for (const { line, col, text } of siblings(lines, node)) {
    if (!isItem(text, col)) return undefined;
    if (++seen < index) continue;
    let content = col + 1;
    while (text[content] === ' ') content++;
    const item: Node = {
      from: line,
      to: childEnd(lines, line, col, node.to, false),
      col: content < text.length && text[content] !== '#' ? content : text.length,
    };
    return { pos: { line, col: item.col < text.length ? item.col : col }, node: item };
  }
  return undefined;
}

/** Nodes already found in one document, as a trie of path segments: findings of one object share most of a path. */
export interface LocateCache {
  found?: { pos: Position; node: Node | 'scalar' } | null;
  next?: Map<PathSegment, LocateCache>;
}

/**
 * The position of the last segment of `path` in a block-style YAML document (split into lines), or undefined when
 * the path goes through something this fast path does not follow.
 */
export function locateBlock(
  lines: readonly string[],
  path: readonly PathSegment[],
  cache: LocateCache = {},
): Position | undefined {
  let node: Node | 'scalar' = { from: 0, to: lines.length, col: 0 };
  let pos: Position | undefined;
  let at = cache;
  for (const seg of path) {
    if (node === 'scalar') return undefined;
    let child = (at.next ??= new Map()).get(seg);
    if (!child) at.next.set(seg, (child = {}));
    if (child.found === undefined)
      child.found = (typeof seg === 'number' ? inSequence(lines, node, seg) : inMapping(lines, node, seg)) ?? null;
    if (!child.found) return undefined;
    pos = child.found.pos;
    node = child.found.node;
    at = child;
  }
  return pos ?? contentStart(lines, { from: 0, to: lines.length, col: 0 }) ?? { line: 0, col: 0 };
}
