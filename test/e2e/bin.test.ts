import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
const oldNode = ['--import', 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.1.0"})'];
const trace = fileURLToPath(new URL('../helpers/import-trace.mjs', import.meta.url));
const vnodes = (args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: '/nonexistent', ...env },
  });

describe('bin/vnodes.js', () => {
  it('prints help and exits 0', () => {
    const r = vnodes(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: vnodes/);
    expect(r.stderr).toBe('');
  });

  it('answers a bare --help from the saved pages, loading no package at all', () => {
    const r = vnodes(['--help'], {}, ['--import', trace]);
    expect(JSON.parse(/IMPORTED:(.*)/.exec(r.stderr)![1]!)).toEqual([]);
  });

  it('loads no Azure SDK, ora or Kubernetes client for help that commander renders live', () => {
    const r = vnodes(['check-region', '--help', '--no-color'], {}, ['--import', trace]);
    expect(r.stdout).toMatch(/Usage: vnodes check-region/);
    const imported = JSON.parse(/IMPORTED:(.*)/.exec(r.stderr)![1]!) as string[];
    expect(imported.filter((p) => p.startsWith('@azure/') || p === 'ora' || p.startsWith('@kubernetes/'))).toEqual([]);
    expect(imported).toContain('commander');
  });

  it('prints the package version', () => {
    const r = vnodes(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
  });

  it('exits 2 on a usage error with nothing on stdout', () => {
    const r = vnodes(['check-region', '--cpu', 'x', '--all']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toContain('--cpu "x" is not a positive number');
  });

  it('refuses to run on Node older than 22.12 with a clear message when no Node 22 is installed beside it', () => {
    // Simulate an old runtime by overriding process.versions before the shim reads it; a copy of the shim alone has
    // no node_modules/node beside it to run under instead.
    const dir = mkdtempSync(join(tmpdir(), 'vnodes-shim-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(bin, join(dir, 'bin', 'vnodes.js'));
    const r = spawnSync(process.execPath, [...oldNode, join(dir, 'bin', 'vnodes.js'), '--help'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs Node.js 22.12 or newer');
  });
});
