// The --help pages commander renders, saved at build time (src/build-help.ts writes dist/help.json) so that
// bin/vnodes.js can answer a bare help request without loading commander or the command registry: that is most of
// what `vnodes --help` used to spend beyond Node's own start. Anything else on the command line goes to commander.
import { readFileSync } from 'node:fs';

/** The saved pages: keyed by the command words ('' for the program, 'subnet', 'subnet create'). */
export interface HelpPages {
  /** Words that name a group of commands (`subnet`, `emulator`), for `vnodes subnet help create`. */
  groups: string[];
  pages: Record<string, string>;
}

/** Where the build writes the pages: beside this module in dist/. */
export const HELP_PAGES_FILE = new URL('./help.json', import.meta.url);

const isWord = (token: string) => !token.startsWith('-') && token !== 'help';

/**
 * Which page a command line asks for when it asks for help and nothing else: `X --help`, `X -h`, `help [X [Y]]` and
 * `GROUP help LEAF`, as commander reads them. Undefined for anything else (commander then answers itself).
 */
export function helpPageKey(argv: readonly string[], groups: readonly string[]): string | undefined {
  const last = argv.at(-1);
  if ((last === '--help' || last === '-h') && argv.slice(0, -1).every(isWord)) return argv.slice(0, -1).join(' ');
  if (argv[0] === 'help' && argv.length <= 3 && argv.slice(1).every(isWord)) return argv.slice(1).join(' ');
  if (argv.length === 3 && argv[1] === 'help' && groups.includes(argv[0]!) && isWord(argv[2]!))
    return `${argv[0]} ${argv[2]}`;
  return undefined;
}

/** The saved help text for this command line, or undefined when it is not a bare help request or nothing is saved. */
export function savedHelp(argv: readonly string[], file: URL = HELP_PAGES_FILE): string | undefined {
  if (!argv.some((t) => t === '--help' || t === '-h' || t === 'help')) return undefined; // not worth reading the file
  let saved: HelpPages;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as HelpPages;
  } catch {
    return undefined; // built without the help step (plain tsc): commander answers
  }
  const key = helpPageKey(argv, saved.groups);
  return key === undefined ? undefined : saved.pages[key];
}
