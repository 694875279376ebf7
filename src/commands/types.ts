import type { Command } from 'commander';
import type { ExitCodeValue } from '../errors.js';
import type { Style } from '../output/style.js';
import type { CommandEvent, Deps, EventSink, GlobalOptions } from '../deps.js';

/** A global flag, by the name commander gives its value. */
export type GlobalFlag = 'subscription' | 'output' | 'cloud' | 'debug' | 'color' | 'yes';

/** What every command module has: its option spec and the parse to plain, validated options. */
interface CommandBase<O> {
  /** Adds this command's arguments and options to its commander node. */
  configure(cmd: Command): void;
  /** Turns commander's raw values into validated plain options; throws UsageError on bad input. */
  parse(args: string[], raw: Record<string, unknown>, globals: GlobalOptions): O;
  /** JSON document name (`kind`) for -o json. */
  kind?: string;
  /**
   * The global flags its help lists (default: all but --yes; --yes is added for commands that have --dry-run, which
   * every writing command has).
   */
  globalFlags?: readonly GlobalFlag[];
}

/** A command that returns one result, rendered once: for people, or as one JSON document. */
export interface ResultCommand<O = unknown, R = unknown> extends CommandBase<O> {
  streaming?: false;
  run(options: O, deps: Deps): Promise<R>;
  /** Human rendering of the result for stdout. */
  render?(result: R, style: Style): string;
  /** The exit code a result means (default 0). */
  exitCode?(result: R): ExitCodeValue;
  /** -o formats beyond table and json that the command renders itself (lint: sarif). */
  formats?: readonly 'sarif'[];
  /** The command wrote its result to deps.stdout as it went (lint, so memory stays flat); cli.ts renders nothing. */
  streamed?: boolean;
  /**
   * It cleans up after Ctrl-C itself (provider probe deletes its pod): its Azure calls are not cancelled. A function
   * when only some runs write (doctor with --probe).
   */
  cleansUp?: boolean | ((options: O) => boolean);
}

/** The human rendering of one event: text for stdout (what a script captures) and/or stderr (progress for people). */
export interface EventText {
  stdout?: string;
  stderr?: string;
}

/**
 * A command that runs until it is done or interrupted and reports as it goes (`emulator start`, `provider run`): it
 * emits typed events into a sink; cli.ts prints each as human text, or as one NDJSON line on stdout with -o json (the
 * `stderr` part of its human text still goes to stderr for people).
 */
export interface StreamingCommand<O = unknown, E extends CommandEvent = CommandEvent> extends CommandBase<O> {
  streaming: true;
  /** Emits events until done; its exit code (default 0), or throws as any command does. */
  run(options: O, deps: Deps, sink: EventSink<E>): Promise<ExitCodeValue | void>;
  renderEvent(event: E, style: Style): EventText;
}

/** A command module of either kind. */
export type CommandModule<O = unknown, R = unknown> = ResultCommand<O, R> | StreamingCommand<O, any>;

/** A registry entry: enough to list the command in --help without loading it. */
export interface CommandEntry {
  path: string[];
  summary: string;
  load(): Promise<CommandModule<any, any>>;
}
