import { Readable } from 'node:stream';
import { runCli } from '../../src/cli.js';

/** What one in-process vnodes run printed and returned. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the JSON document (throws if it is not exactly one). */
  json<T = any>(): T;
}

/** Runs the CLI in-process with captured streams, as a user would from a shell (not a TTY). */
export async function run(
  argv: string[],
  env: Record<string, string | undefined> = {},
  opts: { tty?: boolean; signal?: AbortSignal; stdin?: string; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    env: { PATH: process.env.PATH, HOME: '/nonexistent-home', ...env },
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    signal: opts.signal,
    ...(opts.stdin !== undefined ? { stdin: Readable.from([opts.stdin]) } : {}),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
  });
  return {
    exitCode,
    stdout,
    stderr,
    json: () => JSON.parse(stdout),
  };
}
