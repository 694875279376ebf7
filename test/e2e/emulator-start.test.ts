import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
const baseEnv = { PATH: process.env.PATH!, HOME: '/nonexistent' };

/** Starts `vnodes emulator start` as a child and resolves once it has written its env file. */
async function startChild(args: string[]) {
  const envFile = join(mkdtempSync(join(tmpdir(), 'vnodes-e2e-')), 'emulator.env');
  const child = spawn(process.execPath, [bin, 'emulator', 'start', '--write-env', envFile, ...args], { env: baseEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (stderr.includes('Ctrl-C to stop')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`emulator exited ${code}: ${stderr}`));
    });
  });
  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { child, env, stdout: () => stdout, stderr: () => stderr };
}

describe('vnodes emulator start (spawned)', () => {
  it('serves ARM for a separate vnodes process and stops cleanly on SIGTERM', async () => {
    const emu = await startChild(['--scenario', 'no-quota']);
    try {
      expect(Object.keys(emu.env).sort()).toEqual([
        'AZURE_SUBSCRIPTION_ID',
        'VNODES_ARM_CA_FILE',
        'VNODES_ARM_ENDPOINT',
        'VNODES_ARM_TOKEN',
        'VNODES_GRAPH_ENDPOINT',
      ]);
      expect(emu.stdout()).toContain(`export VNODES_ARM_ENDPOINT=${emu.env.VNODES_ARM_ENDPOINT}`);
      const r = spawnSync(process.execPath, [bin, 'check-region', '-l', 'westeurope', '-l', 'eastus', '-o', 'json'], {
        encoding: 'utf8',
        env: { ...baseEnv, ...emu.env },
      });
      expect(r.status).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.usable).toEqual(['westeurope']);
      expect(r.stderr).toBe('');
    } finally {
      emu.child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => emu.child.on('exit', resolve));
    expect(code).toBe(130);
    expect(emu.stderr()).toContain('Emulator stopped.');
  });

  it('prepares an Azure CLI config directory with --az-config and prints its variables', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vnodes-e2e-az-'));
    const dir = join(root, 'az');
    const emu = await startChild(['--az-config', dir]);
    try {
      expect(emu.env).toMatchObject({
        AZURE_CONFIG_DIR: dir,
        REQUESTS_CA_BUNDLE: emu.env.VNODES_ARM_CA_FILE,
        PYTHONPATH: join(dir, 'python'),
      });
      expect(emu.env.MSI_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/msi\/token$/);
      expect(emu.stdout()).toContain(`export AZURE_CONFIG_DIR=${dir}\n`);
      expect(readFileSync(join(dir, 'clouds.config'), 'utf8')).toContain(
        `endpoint_resource_manager = ${emu.env.VNODES_ARM_ENDPOINT}`,
      );
    } finally {
      emu.child.kill('SIGTERM');
    }
    await new Promise((resolve) => emu.child.on('exit', resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses an --az-config directory it did not write (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vnodes-e2e-az-'));
    writeFileSync(join(dir, 'azureProfile.json'), '{}');
    const r = spawnSync(process.execPath, [bin, 'emulator', 'start', '--az-config', dir], {
      encoding: 'utf8',
      env: baseEnv,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('already holds files vnodes did not write');
  });

  it.each([
    [['--faults', '418:x1'], /--faults: Bad fault rule '418:x1'/],
    [['--scenario', 'nope'], /Unknown scenario "nope"/],
    [['--port', '70000'], /--port "70000" is not a whole number from 0 to 65535/],
  ])('exits 2 for bad input %j', (args, message) => {
    const r = spawnSync(process.execPath, [bin, 'emulator', 'start', ...args], { encoding: 'utf8', env: baseEnv });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
