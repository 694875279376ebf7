// The --help pages commander renders, saved at build time (src/build-help.ts writes dist/help.json) so that
// bin/vnodes.js can answer a bare help request without loading commander or the command registry: that is most of
// what `vnodes --help` used to spend beyond Node's own start. The ways of asking are enumerated here, at build time,
// so the shim only looks its command line up; anything else goes to commander.

/** The saved pages, and which command lines ask for which. */
export interface HelpPages {
  /** Keyed by the command words: '' for the program, 'subnet', 'subnet create'. */
  pages: Record<string, string>;
  /** `formKey(argv)` → the page key, for every bare help request (`X --help`, `X -h`, `help X`, `G help L`). */
  forms: Record<string, string>;
}

/** How the shim looks a command line up: exactly these arguments, nothing more (a word with a space stays one). */
export function formKey(argv: readonly string[]): string {
  return JSON.stringify(argv);
}

/** Every command line that asks for one of these pages and nothing else, as commander (and cli.ts) reads them. */
export function helpForms(keys: readonly string[], groups: readonly string[]): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const key of keys) {
    const words = key ? key.split(' ') : [];
    const asks = [
      [...words, '--help'],
      [...words, '-h'],
      ['help', ...words],
    ];
    if (words.length === 2 && groups.includes(words[0]!)) asks.push([words[0]!, 'help', words[1]!]);
    for (const argv of asks) forms[formKey(argv)] = key;
  }
  return forms;
}
