// The --write-env file of `emulator start`: judged before the emulator starts, written atomically once it serves.
import { randomBytes } from 'node:crypto';
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** --write-env must name a file (not a directory) in a directory that exists and that this user can write. */
export async function assertWritableFile(path: string, given: string): Promise<void> {
  const problem = await stat(path).then(
    (s) => (s.isDirectory() ? 'it is a directory' : undefined),
    () => undefined,
  );
  const dir = dirname(path);
  const dirProblem =
    problem ??
    (await stat(dir).then(
      (s) => (s.isDirectory() ? undefined : `${dir} is not a directory`),
      () => `directory ${dir} does not exist`,
    )) ??
    (await access(dir, constants.W_OK).then(
      () => undefined,
      () => `directory ${dir} is not writable`,
    ));
  if (dirProblem) throw cannotWrite(given, dirProblem);
}

function cannotWrite(given: string, why: string): UsageError {
  return new UsageError(
    `--write-env ${given}: cannot write the file (${why}).`,
    'Name a file in a directory that exists and that you can write, e.g. --write-env /tmp/vnodes.env.',
    'VNODES_WRITE_ENV_FAILED',
  );
}

/**
 * Writes KEY=VALUE lines readable only by the user (they hold the token): to a temporary name of its own, created
 * exclusively (no one can have planted it), then renamed, so a script polling for the file never reads half of it.
 */
export async function writeEnvFile(path: string, given: string, env: Record<string, string>): Promise<void> {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    await writeFile(
      temp,
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
      { mode: 0o600, flag: 'wx' },
    );
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    // The file system's own words, without the temporary name: "EACCES: permission denied".
    throw cannotWrite(given, (error as Error).message.split(',')[0]!);
  }
}

/** A value as a POSIX shell word, quoted only when it needs to be. */
export function shellQuote(value: unknown): string {
  const text = String(value);
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
