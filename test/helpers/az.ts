import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { type Emulator, prepareAzConfig } from '../../src/emulator/index.js';

const exec = promisify(execFile);

/** The first `name` executable on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What one `az`/`kubectl` run printed. */
export interface ToolRun {
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** Runs a tool with exactly `env` (plus PATH); rejects with its output when it exits non-zero. */
export async function runTool(file: string, args: string[], env: Record<string, string>): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await exec(file, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr, json: () => JSON.parse(stdout) };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${file} ${args.join(' ')} failed: ${e.message}\nstdout: ${e.stdout ?? ''}\nstderr: ${e.stderr ?? ''}`,
    );
  }
}

/**
 * The Azure CLI pointed at an emulator through a fresh temporary AZURE_CONFIG_DIR (vnodes' `--az-config`) and a
 * temporary HOME, so nothing reads or writes the user's ~/.azure or ~/.kube.
 */
export async function azFor(
  emu: Emulator,
): Promise<{ env: Record<string, string>; home: string; az(...args: string[]): Promise<ToolRun> }> {
  const home = await mkdtemp(join(tmpdir(), 'vnodes-az-home-'));
  const env = { HOME: home, AZURE_CORE_NO_COLOR: 'true', ...(await prepareAzConfig(join(home, 'azure'), emu)) };
  return { env, home, az: (...args) => runTool('az', [...args, '--only-show-errors'], env) };
}
