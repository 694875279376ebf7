import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InterruptedError, exitCodeOf, type ExitCodeValue } from './errors.js';
import { COMMANDS, GROUPS } from './commands/registry.js';
import type { CommandEntry, CommandModule } from './commands/types.js';
import type { Deps, GlobalOptions, InputStream, OutputStream } from './deps.js';
import type { Style } from './output/style.js';
import type { AzureContext } from './azure/context.js';

/** The process's streams and environment; tests pass buffers instead. */
export interface CliIO {
  env: Readonly<Record<string, string | undefined>>;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where prompts read their answer; default process.stdin. */
  stdin?: InputStream;
  cwd?: string;
  signal?: AbortSignal;
}

/** Global flags that take a value, so the command word after them is not mistaken for one. */
const GLOBAL_VALUE_FLAGS = new Set(['--subscription', '-o', '--output', '--cloud']);

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

/** Finds which registered command the words on the command line name, without loading any command. */
export function findInvokedCommand(argv: readonly string[]): CommandEntry | undefined {
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
  if (words[0] === 'help') words.shift();
  return COMMANDS.filter((c) => c.path.every((w, i) => words[i] === w)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

/** Runs vnodes with the given arguments (without `node vnodes`) and returns the exit code. Never exits the process. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCodeValue> {
  const version = packageVersion();
  const signal = io.signal ?? new AbortController().signal;
  let globals: GlobalOptions = { output: 'table', debug: argv.includes('--debug'), color: true, yes: false };
  // Known before commander parses, so that even a parse error can answer in JSON.
  if (wantsJson(argv)) globals = { ...globals, output: 'json' };
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
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option(
      '--cloud <name>',
      'AzureCloud, AzureChinaCloud or AzureUSGovernment (default: VNODES_CLOUD, else AzureCloud)',
    )
    .option('--debug', 'log each HTTP call (tokens redacted) and show stack traces', false)
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1, or when piped)')
    .option('-y, --yes', 'do not ask before writing to Azure', false);
  copyCommanderSettings(program, io);

  const invoked = findInvokedCommand(argv);
  const groups = new Map<string, Command>();
  for (const entry of COMMANDS) {
    let parent = program;
    for (const word of entry.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = parent.command(word).description(GROUPS[word] ?? '');
        copyCommanderSettings(group, io);
        groups.set(word, group);
      }
      parent = group;
    }
    const leaf = parent.command(entry.path.at(-1)!).description(entry.summary);
    copyCommanderSettings(leaf, io);
    if (entry === invoked) {
      const module = await entry.load();
      module.configure(leaf);
      leaf.action(async (...actionArgs: unknown[]) => {
        const cmd = actionArgs.at(-1) as Command;
        const raw = cmd.optsWithGlobals() as Record<string, unknown>;
        globals = {
          subscription: raw.subscription as string | undefined,
          output: raw.output === 'json' ? 'json' : 'table',
          debug: Boolean(raw.debug),
          color: raw.color !== false,
          cloud: raw.cloud as string | undefined,
          yes: Boolean(raw.yes),
        };
        exitCode = await execute(module, entry, cmd.args, raw, globals, io, signal, version);
      });
    }
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) {
        return error.code === 'commander.help' && error.exitCode !== 0 ? ExitCode.usage : ExitCode.ok;
      }
      // Commander has already said it on stderr; scripts asking for JSON still get their one document.
      if (globals.output === 'json') {
        const { usageErrorJson } = await import('./output/render.js');
        io.stdout.write(usageErrorJson(error.message.replace(/^error:\s*/, '')));
      }
      return ExitCode.usage;
    }
    return reportFailure(error, globals, io);
  }
}

function copyCommanderSettings(cmd: Command, io: CliIO): void {
  cmd
    .exitOverride()
    .showHelpAfterError('fix: add --help to see the usage and options of this command.')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

async function execute(
  module: CommandModule,
  entry: CommandEntry,
  args: string[],
  raw: Record<string, unknown>,
  globals: GlobalOptions,
  io: CliIO,
  signal: AbortSignal,
  version: string,
): Promise<ExitCodeValue> {
  // Loaded here, not at the top, so that `vnodes --help` does not pay for chalk and ora.
  const [{ resolveTerminal }, { createStyle }, { createReporter }, { renderJson }, { createConsent }] =
    await Promise.all([
      import('./output/terminal.js'),
      import('./output/style.js'),
      import('./output/reporter.js'),
      import('./output/render.js'),
      import('./output/confirm.js'),
    ]);
  const json = globals.output === 'json';
  const terminal = resolveTerminal({
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
    noColorFlag: !globals.color,
    json,
  });
  const style = createStyle(terminal.color);
  const secrets = [io.env.VNODES_ARM_TOKEN ?? ''].filter(Boolean);
  const reporter = createReporter({
    stderr: io.stderr,
    terminal,
    style,
    debug: globals.debug,
    quietSteps: json,
    secrets: () => secrets,
  });
  let azure: Promise<AzureContext> | undefined;
  const deps: Deps = {
    globals,
    env: io.env,
    terminal,
    reporter,
    consent: createConsent({ yes: globals.yes, terminal, stderr: io.stderr, stdin: io.stdin ?? process.stdin, signal }),
    signal,
    stdout: io.stdout,
    stderr: io.stderr,
    version,
    cwd: io.cwd ?? process.cwd(),
    azure: () =>
      (azure ??= import('./azure/context.js').then(({ createAzureContext }) =>
        createAzureContext({
          subscriptionFlag: globals.subscription,
          cloudFlag: globals.cloud,
          env: io.env,
          version,
          debug: (line) => reporter.debug(line),
          signal,
        }),
      )),
  };
  try {
    const options = module.parse(args, raw, globals);
    const result = await module.run(options, deps);
    // A result finished after Ctrl-C is partial (reads cancelled mid-way): report the interrupt, not the result.
    if (signal.aborted && result !== undefined) throw new InterruptedError();
    if (result !== undefined) {
      if (json) io.stdout.write(renderJson(module.kind ?? entry.path.join(' '), result));
      else if (module.render) io.stdout.write(module.render(result, style));
    }
    return module.exitCode ? module.exitCode(result) : ExitCode.ok;
  } catch (error) {
    return reportFailure(error, globals, io, style);
  }
}

async function reportFailure(error: unknown, globals: GlobalOptions, io: CliIO, style?: Style): Promise<ExitCodeValue> {
  const [{ createStyle }, { renderError }] = await Promise.all([
    import('./output/style.js'),
    import('./output/render.js'),
  ]);
  style ??= createStyle(false);
  const secrets = [io.env.VNODES_ARM_TOKEN ?? ''].filter(Boolean);
  const rendered = renderError(error, { debug: globals.debug, style, secrets });
  io.stderr.write(rendered.text);
  if (globals.output === 'json') io.stdout.write(rendered.json);
  return exitCodeOf(error);
}

/** The process entry point used by bin/vnodes.js: wires signals and sets the exit code. */
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
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
  process.exitCode = controller.signal.aborted && code === ExitCode.ok ? ExitCode.interrupted : code;
}
