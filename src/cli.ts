import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import { ExitCode, type ExitCodeValue } from './errors.js';
import { COMMANDS, GROUPS } from './commands/registry.js';
import type { CommandEntry, CommandModule, GlobalFlag } from './commands/types.js';
import type { CliIO } from './commands/execute.js';
import type { GlobalOptions } from './deps.js';

export type { CliIO } from './commands/execute.js';

/** Global flags that take a value, so the command word after them is not mistaken for one. */
const GLOBAL_VALUE_FLAGS = new Set(['--subscription', '-o', '--output', '--cloud']);

/**
 * Help is wrapped at a fixed width, not the terminal's, so that it reads the same everywhere and the copy rendered at
 * build time (dist/help.json, served by bin/vnodes.js for a bare --help) is byte for byte what commander prints.
 */
export const HELP_WIDTH = 80;

/** The global flags a command's help lists when its module does not say (--yes is added for writing commands). */
const DEFAULT_GLOBAL_FLAGS: readonly GlobalFlag[] = ['subscription', 'output', 'cloud', 'debug', 'color'];

/** The package version, read once from package.json beside src/ and dist/. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `-o json`, `--output json`, `-ojson` or `--output=json` anywhere before `--`. */
function wantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const token = argv[i]!;
    if ((token === '-o' || token === '--output') && argv[i + 1] === 'json') return true;
    if (token === '-ojson' || token === '--output=json') return true;
  }
  return false;
}

/**
 * The command words on a command line, with a `help` word that stands where a command would (`vnodes help enable`,
 * `vnodes subnet help create`) taken out, since commander answers those with the named command's own help.
 */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (token.startsWith('-')) {
      if (GLOBAL_VALUE_FLAGS.has(token)) i++;
      continue;
    }
    words.push(token);
  }
  const help = words.indexOf('help');
  if (help >= 0 && (help === 0 || (help === 1 && words[0]! in GROUPS))) words.splice(help, 1);
  return words;
}

/** Finds which registered command the words on the command line name, without loading any command. */
export function findInvokedCommand(argv: readonly string[]): CommandEntry | undefined {
  const words = commandWords(argv);
  return COMMANDS.filter((c) => c.path.every((w, i) => words[i] === w)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

/**
 * Commander's help command takes one word, so `vnodes help subnet create` would show the `subnet` group: it is asked
 * of the command itself instead, as `vnodes subnet create --help`.
 */
function helpAsFlag(argv: readonly string[]): readonly string[] {
  const rest = argv.slice(1);
  if (argv[0] !== 'help' || rest.length < 2) return argv;
  return COMMANDS.some((c) => c.path.join(' ') === rest.join(' ')) ? [...rest, '--help'] : argv;
}

/** Runs vnodes with the given arguments (without `node vnodes`) and returns the exit code. Never exits the process. */
export async function runCli(given: readonly string[], io: CliIO): Promise<ExitCodeValue> {
  const argv = helpAsFlag(given);
  const version = packageVersion();
  const signal = io.signal ?? new AbortController().signal;
  let globals: GlobalOptions = { output: 'table', debug: argv.includes('--debug'), color: true, yes: false };
  // Known before commander parses, so that even a parse error can answer in JSON.
  if (wantsJson(argv)) globals = { ...globals, output: 'json' };
  // With -o json, what commander prints on stdout (help, the version) is handed back as one JSON document.
  const said: string[] = [];
  const out = (s: string) => (globals.output === 'json' ? said.push(s) : io.stdout.write(s));
  let exitCode: ExitCodeValue = ExitCode.ok;

  const program = new Command('vnodes')
    .description(
      'Provision, diagnose and debug AKS virtual nodes (the aciConnectorLinux add-on on Azure Container Instances).',
    )
    .version(version, '-V, --version', 'print the vnodes version')
    .option(
      '--subscription <id>',
      'Azure subscription id (default: VNODES_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID, then the Azure CLI default)',
    )
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'),
    )
    .option(
      '--cloud <name>',
      'AzureCloud, AzureChinaCloud or AzureUSGovernment (default: VNODES_CLOUD, else AzureCloud)',
    )
    .option('--debug', 'log each HTTP call (tokens redacted) and show stack traces', false)
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1, or when piped)')
    .option('-y, --yes', 'do not ask before writing to Azure', false);
  const globalFlags = new WeakMap<Command, ReadonlySet<string>>();
  copyCommanderSettings(program, io, out, globalFlags);

  const invoked = findInvokedCommand(argv);
  const groups = new Map<string, Command>();
  for (const entry of COMMANDS) {
    let parent = program;
    for (const word of entry.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = parent.command(word).description(GROUPS[word] ?? '');
        copyCommanderSettings(group, io, out, globalFlags);
        groups.set(word, group);
      }
      parent = group;
    }
    const leaf = parent.command(entry.path.at(-1)!).description(entry.summary);
    copyCommanderSettings(leaf, io, out, globalFlags);
    if (entry === invoked) {
      const module = await entry.load();
      module.configure(leaf);
      globalFlags.set(leaf, flagsFor(module, leaf));
      const required = deferRequiredOptions(leaf);
      leaf.action(async (...actionArgs: unknown[]) => {
        const cmd = actionArgs.at(-1) as Command;
        for (const option of required)
          if (cmd.getOptionValue(option.attributeName()) === undefined)
            cmd.error(`error: required option '${option.flags}' not specified`, {
              code: 'commander.missingMandatoryOptionValue',
              exitCode: ExitCode.usage,
            });
        const raw = cmd.optsWithGlobals() as Record<string, unknown>;
        globals = {
          subscription: raw.subscription as string | undefined,
          output: raw.output === 'json' || raw.output === 'sarif' ? raw.output : 'table',
          debug: Boolean(raw.debug),
          color: raw.color !== false,
          cloud: raw.cloud as string | undefined,
          yes: Boolean(raw.yes),
        };
        const { execute } = await import('./commands/execute.js');
        exitCode = await execute(module, {
          name: entry.path.join(' '),
          args: cmd.args,
          raw,
          globals,
          io,
          signal,
          version,
        });
      });
    }
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) {
        const code = error.code === 'commander.help' && error.exitCode !== 0 ? ExitCode.usage : ExitCode.ok;
        if (globals.output === 'json') await answerHelpInJson(error.code, said.join(''), code, io);
        return code;
      }
      // Commander has already said it on stderr; scripts asking for JSON still get their one document.
      if (globals.output === 'json') {
        const { usageErrorJson } = await import('./output/render.js');
        io.stdout.write(usageErrorJson(error.message.replace(/^error:\s*/, '')));
      }
      return ExitCode.usage;
    }
    const { reportFailure } = await import('./commands/execute.js');
    return reportFailure(error, globals, io);
  }
}

/** With -o json: the help or version as one document, or (no command given, help on stderr) a usage error. */
async function answerHelpInJson(code: string, text: string, exit: ExitCodeValue, io: CliIO): Promise<void> {
  const { SCHEMA_VERSION, usageErrorJson } = await import('./output/render.js');
  if (exit !== ExitCode.ok) {
    io.stdout.write(usageErrorJson('No command given. Run vnodes --help for the list of commands.'));
    return;
  }
  const doc = code === 'commander.version' ? { kind: 'version', version: text.trim() } : { kind: 'help', text: text };
  io.stdout.write(JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...doc }, null, 2) + '\n');
}

/** The global flags a command's help lists: its own choice, else the defaults, plus --yes for writing commands. */
function flagsFor(module: CommandModule, leaf: Command): ReadonlySet<string> {
  const writes = leaf.options.some((o) => o.long === '--dry-run');
  return new Set(module.globalFlags ?? [...DEFAULT_GLOBAL_FLAGS, ...(writes ? (['yes'] as const) : [])]);
}

/**
 * Commander checks required options before it looks for unknown ones, so `--clustr x` would be reported as "required
 * option --cluster not specified". The check moves into the action, which runs after the unknown-option check.
 */
function deferRequiredOptions(leaf: Command): Option[] {
  const required = leaf.options.filter((o) => o.mandatory);
  for (const option of required) option.makeOptionMandatory(false);
  return required;
}

function copyCommanderSettings(
  cmd: Command,
  io: CliIO,
  out: (s: string) => unknown,
  globalFlags: WeakMap<Command, ReadonlySet<string>>,
): void {
  cmd
    .exitOverride()
    // Every error printed has a fix line, commander's own included.
    .showHelpAfterError('fix: add --help to see the usage and options of this command.')
    .configureHelp({
      helpWidth: HELP_WIDTH,
      showGlobalOptions: true,
      visibleGlobalOptions(this: Help, c: Command) {
        const shown = globalFlags.get(c);
        return Help.prototype.visibleGlobalOptions
          .call(this, c)
          .filter((o) => o.attributeName() !== 'version' && (!shown || shown.has(o.attributeName())));
      },
    })
    .configureOutput({ writeOut: (s) => out(s), writeErr: (s) => io.stderr.write(s) });
}

/** The process entry point used by bin/vnodes.js: wires signals and closed pipes, and sets the exit code. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(`\n${name}: stopping (press Ctrl-C again to exit at once)\n`);
    controller.abort(new Error(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const { guardPipes } = await import('./cli-pipes.js');
  const pipes = guardPipes(process.stdout, process.stderr, () => controller.abort(new Error('EPIPE')));
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: pipes.stdout,
    stderr: pipes.stderr,
    signal: controller.signal,
  });
  // Done: a later signal (a server that failed to close, say) takes its default course instead of being swallowed.
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (pipes.closed()) process.exitCode = code === ExitCode.interrupted ? ExitCode.ok : code;
  else process.exitCode = controller.signal.aborted && code === ExitCode.ok ? ExitCode.interrupted : code;
}
