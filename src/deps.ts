// The ports the core receives from the face (cli.ts): plain data and narrow interfaces, no terminal library and no
// commander types. Core code (region, network, cluster, checks, doctor, workloads, provider) imports these types from
// here, never from commands/ or output/.
import type { AzureContext } from './azure/context.js';

/** Global flags, as plain data. */
export interface GlobalOptions {
  subscription?: string;
  /** `sarif` only for commands that declare it (lint). */
  output: 'table' | 'json' | 'sarif';
  debug: boolean;
  color: boolean;
  cloud?: string;
  yes: boolean;
}

/** A place text goes: process.stdout/stderr, or a buffer in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** A readable stream that may be a terminal (process.stdin, or a buffer in tests). */
export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };

/** What the terminal can do, resolved once in cli.ts and passed down. */
export interface Terminal {
  /** A person is watching stderr: spinners and prompts are allowed. */
  interactive: boolean;
  /** ANSI colour on. */
  color: boolean;
}

/** Progress and diagnostics for people, always on stderr; never the command's result. */
export interface Reporter {
  /** Runs one step, shown as a spinner on a TTY and as a line when it ends otherwise. */
  step<T>(label: string, fn: (update: (text: string) => void) => Promise<T>): Promise<T>;
  info(message: string): void;
  warn(message: string): void;
  /** Shown only with --debug; redacted. */
  debug(message: string): void;
  readonly debugEnabled: boolean;
}

/**
 * Permission to write. A dry run needs none, --yes gives it, a person at a terminal is asked, and anything else stops
 * with exit 2 naming --yes. Built by cli.ts from its streams, so in-process tests can answer the prompt.
 */
export interface Consent {
  /** Resolves when `action` (a verb phrase: "create subnet x in VNet y") may go ahead; throws otherwise. */
  confirm(action: string, options: { dryRun: boolean }): Promise<void>;
  /** For a command that writes several times: asks before the first write only, and checks for Ctrl-C before each. */
  once(action: string, options: { dryRun: boolean }): () => Promise<void>;
}

/** What a command may use; commands take the narrow part they need (`Pick<Deps, 'azure' | 'reporter'>`). */
export interface Deps {
  globals: GlobalOptions;
  env: Readonly<Record<string, string | undefined>>;
  terminal: Terminal;
  reporter: Reporter;
  consent: Consent;
  /** Resolved on first use, then the same frozen context for the rest of the run. */
  azure(): Promise<AzureContext>;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** For streaming commands only (emulator start, provider run); others return a result. */
  stdout: OutputStream;
  stderr: OutputStream;
  /** What `-` reads (lint); process.stdin outside tests. */
  stdin: InputStream;
  version: string;
  cwd: string;
}

/** One typed event of a streaming command (`emulator start`, `provider run`); `type` names it, e.g. `serving`. */
export interface CommandEvent {
  type: string;
}

/**
 * Where a streaming command sends its events. cli.ts renders each one: as human lines, or as one NDJSON line on stdout
 * with -o json. The command never writes to stdout itself.
 */
export interface EventSink<E extends CommandEvent = CommandEvent> {
  emit(event: E): void;
}
