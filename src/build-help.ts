// Build step (npm run build): renders every --help page through commander itself and saves them for bin/vnodes.js.
// Run as `node dist/build-help.js`; the pages are generated, never committed.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';
import { COMMANDS, GROUPS } from './commands/registry.js';
import { helpForms, type HelpPages } from './help-pages.js';

/** Every page: the program, each group, each command, as `vnodes WORDS --help` prints it. */
export async function renderHelpPages(): Promise<HelpPages> {
  const groups = Object.keys(GROUPS).filter((g) => COMMANDS.some((c) => c.path.length > 1 && c.path[0] === g));
  const keys = ['', ...groups, ...COMMANDS.map((c) => c.path.join(' '))];
  const pages: Record<string, string> = {};
  for (const key of new Set(keys)) {
    const text = await helpText(key ? key.split(' ') : []);
    if (text !== undefined) pages[key] = text;
  }
  return { pages, forms: helpForms(Object.keys(pages), groups) };
}

/** What commander prints on stdout for `vnodes WORDS --help`, or undefined when that is not a help page. */
async function helpText(words: string[]): Promise<string | undefined> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...words, '--help'], {
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return code === 0 && stderr === '' ? stdout : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('./help.json', import.meta.url), JSON.stringify(await renderHelpPages()) + '\n');
}
