// Line and column of a field path in block-style YAML, found by indentation alone. This is the fast path (helm
// template and kustomize build print block style); flow collections, anchors and anything it cannot follow return
// undefined and the caller asks the full YAML parser instead (source.ts).
import type { PathSegment } from './types.js';

/** A 0-based position within one document's text. */
export interface Position {
  line: number;
  col: number;
}

/**
 * A node: the line it starts on, the column its content starts at on that line (a sequence item's content after
 * `- `; 0 when it starts on a later line), and the column its content must be deeper than (its parent's), or at, for
 * a compact sequence (`- ` items at the parent key's column).
 */
interface Node {
  from: number;
  col: number;
  floor: number;
  /** `- ` items at the floor column belong to it (a key's compact sequence), not to the parent. */
  compact: boolean;
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

/** Where the node's content starts: on its first line after `- `, or on the next non-void line deeper than its floor. */
function contentStart(lines: readonly string[], node: Node): { line: number; col: number } | undefined {
  let l = node.from;
  if (node.col > 0) {
    const first = lines[l]!;
    if (!isVoid(first, node.col)) return { line: l, col: node.col };
    l++;
  }
  for (; l < lines.length; l++) {
    const s = lines[l]!;
    const col = indentOf(s);
    if (isVoid(s, col)) continue;
    return col > node.floor || (node.compact && col === node.floor && isItem(s, col)) ? { line: l, col } : undefined;
  }
  return undefined;
}

/** The value node of an entry whose key sits at (line, col) and whose value starts at valueCol. */
function valueNode(line: number, col: number, valueCol: number, text: string): Node | 'scalar' {
  // An inline value is a leaf here: a scalar, a block scalar indicator, or a flow collection (source.ts falls back to
  // the full parser to go into one).
  if (valueCol < text.length && text[valueCol] !== '#') return 'scalar';
  return { from: line + 1, col: 0, floor: col, compact: true };
}

/**
 * The next line after `after` that starts an entry or item at column `col` (a sibling), or -1 once a line dedents
 * below it. A plain loop rather than a generator: it runs for every finding of a run.
 */
function nextSibling(lines: readonly string[], col: number, after: number): number {
  for (let l = after + 1; l < lines.length; l++) {
    const text = lines[l]!;
    const c = indentOf(text);
    if (isVoid(text, c)) continue;
    if (c < col) return -1;
    if (c === col) return l;
  }
  return -1;
}

const isItem = (s: string, c: number): boolean => s[c] === '-' && (s[c + 1] === ' ' || s.length === c + 1);

/** The node for a key in a mapping node, with the key's position. */
function inMapping(
  lines: readonly string[],
  node: Node,
  key: string,
): { pos: Position; node: Node | 'scalar' } | undefined {
  const start = contentStart(lines, node);
  if (!start) return undefined;
  const col = start.col;
  for (let line = start.line; line >= 0; line = nextSibling(lines, col, line)) {
    const text = lines[line]!;
    const entry = entryKey(text, col);
    if (!entry) {
      // A `- ` item at the mapping's column belongs to the compact sequence of an earlier key; anything else is syntax
      // this fast path does not follow.
      if (isItem(text, col)) continue;
      return undefined;
    }
    if (entry.key === key) return { pos: { line, col }, node: valueNode(line, col, entry.valueCol, text) };
  }
  return undefined;
}

/** The node of item `index` of a sequence node, with the item's position. */
function inSequence(lines: readonly string[], node: Node, index: number): { pos: Position; node: Node } | undefined {
  const start = contentStart(lines, node);
  if (!start) return undefined;
  const col = start.col;
  let seen = -1;
  for (let line = start.line; line >= 0; line = nextSibling(lines, col, line)) {
    const text = lines[line]!;
    if (!isItem(text, col)) return undefined;
    if (++seen < index) continue;
    let content = col + 1;
    while (text[content] === ' ') content++;
    const inline = content < text.length && text[content] !== '#';
    const item: Node = inline
      ? { from: line, col: content, floor: col, compact: false }
      : { from: line + 1, col: 0, floor: col, compact: false };
    // An item whose content starts on a later line is where that content starts, as the YAML parser places it.
    return { pos: inline ? { line, col: content } : (contentStart(lines, item) ?? { line, col }), node: item };
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
  let node: Node | 'scalar' = { from: 0, col: 0, floor: -1, compact: false };
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
  return pos ?? contentStart(lines, { from: 0, col: 0, floor: -1, compact: false }) ?? { line: 0, col: 0 };
}
