import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 12, defect 14: the README's ways of running vnodes work with whatever Node the system has, and the way it
// documents for a background emulator (`./bin/vnodes.js emulator start … &`, then `kill $!`) really stops it.
const root = fileURLToPath(new URL('../..', import.meta.url));
/** The README's way, run from the repository root. */
const shim = join('.', 'bin', 'vnodes.js');
/** PATH without any node_modules/.bin, as a shell outside npm has it. */
const systemPath = process.env
  .PATH!.split(delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .join(delimiter);
const systemNode = systemPath
  .split(delimiter)
  .map((dir) => join(dir, 'node'))
  .find((file) => existsSync(file));
const systemVersion = systemNode && spawnSync(systemNode, ['--version'], { encoding: 'utf8' }).stdout.trim();

describe.skipIf(!systemNode)(`with the system Node on PATH (${systemVersion ?? 'none'})`, () => {
  const env = { PATH: systemPath, HOME: '/nonexistent' };

  it('./bin/vnodes.js runs (under the pinned Node 22 when the system one is older) and keeps exit codes', () => {
    const version = spawnSync(shim, ['--version'], { cwd: root, env, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync(shim, ['check-region', '--all', '--cpu', '0x10'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--cpu "0x10" is not a positive number');
  });

  it('`./bin/vnodes.js emulator start … &` then `kill $!` stops the emulator and removes its files', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vnodes-e2e-kill-'));
    const file = join(tmp, 'vnodes.env');
    const script = [
      `./bin/vnodes.js emulator start --write-env ${file} 2>/dev/null >/dev/null &`,
      'pid=$!',
      `until [ -s ${file} ]; do sleep 0.1; done`,
      'kill $pid',
      'wait $pid',
      'echo "exit=$?"',
    ].join('\n');
    const child = spawn('bash', ['-c', script], { cwd: root, env: { ...env, TMPDIR: tmp } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise((resolve) => child.on('close', resolve));
    const endpoint = new URL(/VNODES_ARM_ENDPOINT=(.*)/.exec(readFileSync(file, 'utf8'))![1]!);
    const left = readdirSync(tmp).filter((name) => name.startsWith('vnodes-emulator-'));
    rmSync(tmp, { recursive: true, force: true });
    expect(stdout.trim()).toBe('exit=130');
    expect(left).toEqual([]);
    // Nothing listens on its port any more.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(endpoint.port), '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve(false)));
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
