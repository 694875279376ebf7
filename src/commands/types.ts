import type { Command } from 'commander';
import type { ExitCodeValue } from '../errors.js';
import type { Style } from '../output/style.js';
import type { Deps, GlobalOptions } from '../deps.js';

/** A command module: option spec, parse to plain options, run to a result, render for people. */
export interface CommandModule<O = unknown, R = unknown> {
  /** Adds this command's arguments and options to its commander node. */
  configure(cmd: Command): void;
  /** Turns commander's raw values into validated plain options; throws UsageError on bad input. */
  parse(args: string[], raw: Record<string, unknown>, globals: GlobalOptions): O;
  run(options: O, deps: Deps): Promise<R>;
  /** Human rendering of the result for stdout. */
  render?(result: R, style: Style): string;
  /** The exit code a result means (default 0). */
  exitCode?(result: R): ExitCodeValue;
  /** JSON document name (`kind`) for -o json. */
  kind?: string;
  /** -o formats beyond table and json that the command renders itself (lint: sarif). */
  formats?: readonly 'sarif'[];
  /** The command wrote its result to deps.stdout as it went (lint, so memory stays flat); cli.ts renders nothing. */
  streamed?: boolean;
}

/** A registry entry: enough to list the command in --help without loading it. */
export interface CommandEntry {
  path: string[];
  summary: string;
  load(): Promise<CommandModule<any, any>>;
}
