// The emulator as a product: users start it from their own test suites by importing `vnodes/emulator`, the one
// entry the package exports (with typed declarations); nothing else inside the package is importable.
import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { type Emulator, listScenarios, startEmulator } from 'vnodes/emulator';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Runs an ES module snippet in a fresh Node from the package root; its stderr on failure. */
const runModule = (code: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
    );
  });

const getJson = (emu: Emulator, path: string): Promise<{ status: number; body: any }> =>
  new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emu.armEndpoint),
      { ca: emu.caPem, headers: { authorization: `Bearer ${emu.token}` } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });

describe('vnodes/emulator', () => {
  it('starts by package name and serves ARM', async () => {
    expect(listScenarios()).toContain('healthy');
    const emu = await startEmulator({ scenario: 'healthy' });
    try {
      const sub = await getJson(emu, `/subscriptions/${emu.subscriptionId}?api-version=2022-12-01`);
      expect(sub).toMatchObject({ status: 200, body: { subscriptionId: emu.subscriptionId } });
    } finally {
      await emu.close();
    }
  });

  it('is what Node resolves from the package, and the package exposes nothing else', async () => {
    const ok = await runModule(
      "const m = await import('vnodes/emulator'); const e = await m.startEmulator(); console.log(typeof e.armEndpoint); await e.close();",
    );
    expect(ok).toMatchObject({ code: 0, stdout: 'string\n' });
    for (const internal of ['vnodes', 'vnodes/dist/cli.js', 'vnodes/dist/emulator/emulator.js']) {
      const refused = await runModule(`await import('${internal}');`);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
    }
  });
});
