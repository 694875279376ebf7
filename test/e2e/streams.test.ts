import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
const baseEnv = { PATH: process.env.PATH!, HOME: '/nonexistent' };

/** Runs vnodes with its stdout a pipe whose reader is already gone, as `vnodes … | head` after head has exited. */
function intoClosedPipe(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy' });
});
afterAll(() => emu?.close());

describe('a closed pipe is a normal end', () => {
  it.each([
    [['--help']],
    [['check-region', '--help']],
    [['check-region', '--help', '--no-color']], // rendered by commander, not the saved pages
    [['-o', 'json', '--version']],
  ])('%j: exit 0, nothing on stderr', async (args) => {
    const r = await intoClosedPipe(args);
    expect(r).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('a JSON result written into a closed pipe ends with its own exit code and no stack', async () => {
    const r = await intoClosedPipe(['check-region', '-l', 'eastus', '-o', 'json'], emu.env());
    expect(r).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('`vnodes check-region --help | head -3` prints three lines and exits 0', () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" check-region --help | head -3; exit \${PIPESTATUS[0]}`],
      {
        encoding: 'utf8',
        env: baseEnv,
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(r.stderr).toBe('');
  });

  it('`vnodes check-region -o json | head -c 10` exits 0', async () => {
    // Not spawnSync: the emulator answering it runs in this process.
    const child = spawn(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" check-region --all -o json | head -c 10; exit \${PIPESTATUS[0]}`],
      { env: { ...baseEnv, ...emu.env() } },
    );
    const r = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (d) => (r.stdout += d));
    child.stderr.on('data', (d) => (r.stderr += d));
    r.status = await new Promise((resolve) => child.on('close', resolve));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{\n  "schem');
    expect(r.stderr).toBe('');
  });
});

describe('emulator start as a streaming command', () => {
  it('-o json: one NDJSON line when serving and one when stopped', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', 'start', '-o', 'json'], { env: baseEnv });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve) => child.stdout.on('data', () => stdout.includes('\n') && resolve()));
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        schemaVersion: 1,
        kind: 'emulator',
        type: 'serving',
        scenario: 'healthy',
        armEndpoint: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/$/),
        env: expect.objectContaining({ VNODES_ARM_ENDPOINT: lines[0].armEndpoint }),
      },
      { schemaVersion: 1, kind: 'emulator', type: 'stopped' },
    ]);
  });
});

describe('emulator start --write-env to a path it cannot write (issue 12, defect 1)', () => {
  it.each([
    [
      '/nonexistent/dir/f',
      /--write-env \/nonexistent\/dir\/f: cannot write the file \(directory \/nonexistent\/dir does not exist\)/,
    ],
    ['DIR', /--write-env .*: cannot write the file \(it is a directory\)/],
    // Passes the checks made before start (as root, access() says yes), fails at the write: the emulator is closed.
    [
      '/proc/vnodes.env',
      /--write-env \/proc\/vnodes\.env: cannot write the file \(ENOENT: no such file or directory\)/,
    ],
  ])('%s: exit 2 naming the path, nothing left serving, the temp directory removed', (path, message) => {
    const tmp = mkdtempSync(join(tmpdir(), 'vnodes-e2e-tmp-'));
    const r = spawnSync(process.execPath, [bin, 'emulator', 'start', '--write-env', path === 'DIR' ? tmp : path], {
      encoding: 'utf8',
      env: { ...baseEnv, TMPDIR: tmp },
      timeout: 20_000,
    });
    const left = readdirSync(tmp).filter((name) => name.startsWith('vnodes-')); // not Node's compile cache
    rmSync(tmp, { recursive: true, force: true });
    expect(r.signal).toBeNull(); // it ended by itself, not by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('fix: Name a file in a directory that exists');
    expect(r.stdout).toBe('');
    expect(left).toEqual([]);
  });
});
