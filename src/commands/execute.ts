// Runs one loaded command module with the process's (or a test's) streams: builds its deps, parses, runs, renders,
// and maps failures to exit codes. cli.ts calls it after commander has parsed the command line; the demo calls it for
// each of its steps, which is why it lives here and not in cli.ts (the demo must not import cli.ts).
import { ExitCode, InterruptedError, exitCodeOf, UsageError, type ExitCodeValue } from '../errors.js';
import type { CommandEvent, Deps, EventSink, GlobalOptions, InputStream, OutputStream } from '../deps.js';
import type { Style } from '../output/style.js';
import type { AzureContext } from '../azure/context.js';
import type { CommandModule, StreamingCommand } from './types.js';

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

/** What execute needs besides the module: the parsed command line and where it runs. */
export interface Invocation {
  /** JSON document name when the module has no `kind` of its own (the command words). */
  name: string;
  args: string[];
  raw: Record<string, unknown>;
  globals: GlobalOptions;
  io: CliIO;
  signal: AbortSignal;
  version: string;
}

/** Parses, runs and renders one command; never throws, never exits. */
export async function execute(module: CommandModule, inv: Invocation): Promise<ExitCodeValue> {
  const { globals, io, signal, version } = inv;
  // Loaded here, not at the top, so that `vnodes --help` does not pay for chalk and ora.
  const [{ resolveTerminal }, { createStyle }, { createReporter }, { renderJson, SCHEMA_VERSION }, { createConsent }] =
    await Promise.all([
      import('../output/terminal.js'),
      import('../output/style.js'),
      import('../output/reporter.js'),
      import('../output/render.js'),
      import('../output/confirm.js'),
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
  // Known once the options are parsed; the Azure context is only made after that, inside run().
  let cleansUp = !module.streaming && module.cleansUp === true;
  const deps: Deps = {
    globals,
    env: io.env,
    terminal,
    reporter,
    consent: createConsent({ yes: globals.yes, terminal, stderr: io.stderr, stdin: io.stdin ?? process.stdin, signal }),
    signal,
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin ?? process.stdin,
    version,
    cwd: io.cwd ?? process.cwd(),
    azure: () =>
      (azure ??= import('../azure/context.js').then(({ createAzureContext }) =>
        createAzureContext({
          subscriptionFlag: globals.subscription,
          cloudFlag: globals.cloud,
          env: io.env,
          version,
          debug: (line) => reporter.debug(line),
          // Ctrl-C cancels the calls in flight (and their Retry-After waits) of a command that returns a result. A
          // streaming command (provider run) drains on Ctrl-C: it needs the answers to the calls it has made.
          ...(module.streaming || cleansUp ? {} : { signal }),
        }),
      )),
  };
  const kind = module.kind ?? inv.name;
  try {
    if (globals.output === 'sarif' && (module.streaming || !module.formats?.includes('sarif'))) {
      throw new UsageError(
        `-o sarif is not an output of vnodes ${inv.name}.`,
        'Use -o table or -o json here; SARIF is for vnodes lint.',
      );
    }
    const options = module.parse(inv.args, inv.raw, globals);
    if (!module.streaming && typeof module.cleansUp === 'function') cleansUp = module.cleansUp(options);
    if (module.streaming)
      return (
        (await module.run(
          options,
          deps,
          eventSink(module, { kind, schemaVersion: SCHEMA_VERSION }, json, io, style),
        )) ?? 0
      );
    const result = await module.run(options, deps);
    // A result finished after Ctrl-C is partial (reads cancelled mid-way): report the interrupt, not the result.
    if (signal.aborted && result !== undefined) throw new InterruptedError();
    if (result !== undefined && !module.streamed) {
      if (json) io.stdout.write(renderJson(kind, result));
      else if (module.render) io.stdout.write(module.render(result, style));
    }
    return module.exitCode ? module.exitCode(result) : ExitCode.ok;
  } catch (error) {
    return reportFailure(error, globals, io, { style, ndjson: module.streaming === true });
  }
}

/** The sink a streaming command emits into: its human text, or one NDJSON line per event on stdout with -o json. */
function eventSink(
  module: StreamingCommand,
  head: { kind: string; schemaVersion: number },
  json: boolean,
  io: CliIO,
  style: Style,
): EventSink<CommandEvent> {
  return {
    emit(event) {
      const text = module.renderEvent(event, style);
      if (json)
        io.stdout.write(JSON.stringify({ schemaVersion: head.schemaVersion, kind: head.kind, ...event }) + '\n');
      else if (text.stdout) io.stdout.write(text.stdout);
      if (text.stderr) io.stderr.write(text.stderr);
    },
  };
}

/**
 * Prints a failure: the human lines on stderr and, with -o json, the error document on stdout (on one line after a
 * streaming command's NDJSON, so that the stream stays one document per line).
 */
export async function reportFailure(
  error: unknown,
  globals: GlobalOptions,
  io: CliIO,
  opts: { style?: Style; ndjson?: boolean } = {},
): Promise<ExitCodeValue> {
  const [{ createStyle }, { renderError }] = await Promise.all([
    import('../output/style.js'),
    import('../output/render.js'),
  ]);
  const style = opts.style ?? createStyle(false);
  const secrets = [io.env.VNODES_ARM_TOKEN ?? ''].filter(Boolean);
  const rendered = renderError(error, { debug: globals.debug, style, secrets });
  io.stderr.write(rendered.text);
  if (globals.output === 'json')
    io.stdout.write(opts.ndjson ? JSON.stringify(JSON.parse(rendered.json)) + '\n' : rendered.json);
  return exitCodeOf(error);
}
