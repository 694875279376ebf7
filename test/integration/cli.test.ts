import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run-cli.js';

describe('CLI framework', () => {
  it('lists every command in --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('check-region');
    expect(r.stdout).toContain('emulator');
  });

  it('shows a command help without running it', async () => {
    const r = await run(['check-region', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('--location');
    expect(r.stdout).toContain('Exit codes');
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['nonsense'], /unknown command 'nonsense'/],
    [['check-region', '--all', '--cpu', 'lots'], /--cpu "lots" is not a positive number/],
    [['check-region'], /check-region needs a region/],
    [['-o', 'yaml', 'check-region', '--all'], /Allowed choices are table, json/],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const r = await run(argv);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 4 with the exact fix when no subscription is selected', async () => {
    const r = await run(['check-region', '--all'], {
      VNODES_ARM_ENDPOINT: 'https://127.0.0.1:9/',
      VNODES_ARM_TOKEN: 't',
    });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('No Azure subscription selected');
    expect(r.stderr).toContain('az account set');
  });

  it('rejects a malformed subscription id with exit 2', async () => {
    const r = await run(['check-region', '--all', '--subscription', 'not-a-guid']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('"not-a-guid" is not a subscription id');
  });

  it('refuses a plain-HTTP ARM endpoint with exit 2', async () => {
    const r = await run(['check-region', '--all'], {
      VNODES_ARM_ENDPOINT: 'http://127.0.0.1:9/',
      AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not HTTPS');
  });

  it('puts an error document on stdout in json mode', async () => {
    const r = await run(['-o', 'json', 'check-region', '--all', '--subscription', 'nope']);
    expect(r.exitCode).toBe(2);
    const doc = r.json();
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'error',
      error: { code: 'VNODES_BAD_SUBSCRIPTION', exitCode: 2 },
    });
  });

  it.each([
    [['-o', 'json', 'bogus']],
    [['--output=json', 'check-region', '--location']],
    [['check-network', '-g', 'x', '-ojson']],
  ])('answers a parse error in json mode with one error document: %j', async (argv) => {
    const r = await run(argv);
    expect(r.exitCode).toBe(2);
    expect(r.json()).toMatchObject({ schemaVersion: 1, kind: 'error', error: { code: 'VNODES_USAGE', exitCode: 2 } });
  });

  it('reads the Azure CLI default subscription from azureProfile.json', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/az-`);
    await writeFile(
      `${dir}/azureProfile.json`,
      '\uFEFF' +
        JSON.stringify({
          subscriptions: [
            { id: '11111111-1111-1111-1111-111111111111', isDefault: false },
            { id: '22222222-2222-2222-2222-222222222222', isDefault: true },
          ],
        }),
    );
    // Port 9 (discard) refuses: the point is which subscription the debug line names before the call fails.
    const r = await run(['check-region', '--all', '--debug'], {
      AZURE_CONFIG_DIR: dir,
      VNODES_ARM_ENDPOINT: 'https://127.0.0.1:9/',
      VNODES_ARM_TOKEN: 'secret-token-value',
    });
    expect(r.stderr).toContain('subscription 22222222-2222-2222-2222-222222222222 (from azure-cli)');
    expect(r.stderr).not.toContain('secret-token-value');
    expect(r.exitCode).toBe(1);
  });
});
