// Starting and stopping the emulator: a failed start leaves nothing behind, close() leaves nothing running and
// refuses to start anything afterwards.
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorPortInUse, startEmulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

/** Whether something accepts TCP connections at the URL's host and port. */
const listening = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const u = new URL(url);
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('emulator lifecycle', () => {
  it('a start on a port in use fails with EmulatorPortInUse and removes its temporary directory', async () => {
    const busy = await startEmulator();
    const port = Number(new URL(busy.armEndpoint).port);
    const root = await mkdtemp(join(tmpdir(), 'vnodes-lifecycle-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = root;
    try {
      const failed = await startEmulator({ port }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(EmulatorPortInUse);
      expect((failed as EmulatorPortInUse).port).toBe(port);
      expect(await readdir(root)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(root, { recursive: true, force: true });
      await busy.close();
    }
  });

  it('vnodes emulator start --port <busy> is a usage error (exit 2) naming the port, not an internal error', async () => {
    const busy = await startEmulator();
    const port = new URL(busy.armEndpoint).port;
    try {
      const r = await run(['emulator', 'start', '--port', port]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`--port ${port}`);
      expect(r.stderr).toContain('already in use');
      expect(r.stderr).not.toMatch(/internal error|bug/i);
    } finally {
      await busy.close();
    }
  });

  it('--write-env writes the token readable by the user only (0600), through no predictable temporary name', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vnodes-lifecycle-'));
    const envFile = join(root, 'emulator.env');
    // A file planted at the old predictable name must be neither followed nor reused.
    await writeFile(`${envFile}.tmp`, 'planted');
    const stop = new AbortController();
    try {
      const running = run(['emulator', 'start', '--write-env', envFile], {}, { signal: stop.signal });
      for (let i = 0; i < 200 && !(await readdir(root)).includes('emulator.env'); i++)
        await new Promise((r) => setTimeout(r, 25));
      expect((await stat(envFile)).mode & 0o777).toBe(0o600);
      expect(await readFile(envFile, 'utf8')).toMatch(/^VNODES_ARM_TOKEN=/m);
      expect(await readFile(`${envFile}.tmp`, 'utf8')).toBe('planted');
      expect((await readdir(root)).sort()).toEqual(['emulator.env', 'emulator.env.tmp']);
      stop.abort();
      expect((await running).exitCode).toBe(0);
    } finally {
      stop.abort();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('close() stops the cluster API servers, and kube() afterwards starts none', async () => {
    const emu = await startEmulator({ scenario: 'addon-enabled' });
    const api = await emu.kube();
    await emu.close();
    expect(await listening(api.url)).toBe(false);
    expect(await listening(emu.armEndpoint)).toBe(false);
    await expect(emu.kube()).rejects.toThrow(/closed/);
  });
});
