import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run-cli.js';

describe('emulator start, a streaming command, in-process', () => {
  it('-o json: ends its NDJSON with the error document on one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vnodes-az-'));
    writeFileSync(join(dir, 'azureProfile.json'), '{}');
    try {
      const r = await run(['emulator', 'start', '--az-config', dir, '-o', 'json']);
      expect(r.exitCode).toBe(2);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        schemaVersion: 1,
        kind: 'error',
        error: { code: 'VNODES_USAGE', message: expect.stringContaining('--az-config') },
      });
      expect(r.stderr).toMatch(/^error: --az-config/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when its signal aborts, reporting both events', async () => {
    const controller = new AbortController();
    const running = run(['emulator', 'start', '-o', 'json'], {}, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 1500)); // serving or not yet, it emits both events
    controller.abort();
    const r = await running;
    expect(r.exitCode).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['serving', 'stopped']);
  });
});
