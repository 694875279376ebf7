// The files a lint run reads: paths as given, directories walked recursively for .yaml/.yml/.json, `-` for stdin.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { InputStream } from '../deps.js';
import type { LintFeed } from './parallel.js';

const MANIFEST = /\.(ya?ml|json)$/i;

/** Files below a directory, sorted, for a stable report order. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(path);
  }
  return out;
}

/** All of stdin as text. */
async function readAll(stream: InputStream): Promise<string> {
  // A decoder, so a multi-byte character split across chunks survives; string chunks (tests) pass through.
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  for await (const chunk of stream) parts.push(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
  parts.push(decoder.end());
  return parts.join('');
}

/**
 * Feeds every input to the session one file at a time. A path that does not exist or cannot be read is reported as a
 * problem (exit 2) and the others are still linted. Names are shown relative to cwd when below it.
 */
export async function lintInputs(
  inputs: readonly string[],
  session: Pick<LintFeed, 'addText' | 'problem'>,
  io: { cwd: string; stdin?: InputStream },
): Promise<void> {
  const show = (path: string) => {
    const rel = relative(io.cwd, path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  for (const input of inputs) {
    if (input === '-') {
      if (!io.stdin) {
        session.problem({ file: 'stdin', message: 'No standard input to read.' });
        continue;
      }
      await session.addText('stdin', await readAll(io.stdin));
      continue;
    }
    const path = resolve(io.cwd, input);
    let files: string[];
    try {
      files = (await stat(path)).isDirectory() ? await walk(path) : [path];
    } catch (error) {
      session.problem({
        file: input,
        message: `Cannot read ${input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}.`,
        fix: 'Pass an existing manifest file or directory, or - to read from stdin.',
      });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        session.problem({
          file: show(file),
          message: `Cannot read ${show(file)}: ${(error as Error).message}.`,
          fix: 'Check the file is readable by this user, or leave it out.',
        });
        continue;
      }
      await session.addText(show(file), text);
    }
  }
}
