import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

// Issue 12, defects 7 and 13: every option is parsed strictly, by one set of parsers, before any network call; an
// unknown option is reported as such (with a suggestion), not as the required option it resembles.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy' });
});
afterAll(() => emu.close());

const C = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const CASES: [string[], RegExp][] = [
  [['check-region', '--all', '--concurrency', '0.5'], /--concurrency "0\.5" is not a whole number from 1 to 256/],
  [['check-region', '--all', '--concurrency', '0'], /--concurrency "0" is not a whole number/],
  [['check-region', '--all', '--concurrency', '1e3'], /--concurrency "1e3" is not a whole number/],
  [['check-region', '--all', '--cpu', '0x10'], /--cpu "0x10" is not a positive number/],
  [['check-region', '--all', '--cpu', '-2'], /--cpu "-2" is not a positive number/],
  [['check-region', '--all', '--cpu', ''], /--cpu "" is not a positive number/],
  [['check-region', '--all', '--memory', '1,5'], /--memory "1,5" is not a positive number/],
  [['check-region', '--all', '--memory', 'Infinity'], /--memory "Infinity" is not a positive number/],
  [['check-region', '-l', ''], /--location is empty/],
  [['check-region', '--locaton', 'eastus'], /unknown option '--locaton'[\s\S]*Did you mean --location\?/],
  [
    ['check-network', '--clustr', 'aks-demo', '-g', 'rg-aks'],
    /unknown option '--clustr'[\s\S]*Did you mean --cluster\?/,
  ],
  [['check-network', '--cluster', '', '-g', 'rg-aks'], /--cluster is empty/],
  [['check-network', '--cluster', 'aks-demo', '-g', ' '], /--resource-group is empty/],
  [['check-network', '-g', 'rg-aks'], /required option '--cluster <name>' not specified/],
  [['check-network', ...C, '--cidr', '10.241.0.0'], /missing the prefix length/],
  [['subnet', 'create', ...C, '--prefix-length', '0x18'], /--prefix-length "0x18" is not a whole number from 16 to 28/],
  [['subnet', 'create', ...C, '--prefix-length', '24.0'], /--prefix-length "24\.0" is not a whole number/],
  [['subnet', 'create', '--clustr', 'aks-demo', '-g', 'rg-aks'], /unknown option '--clustr'[\s\S]*--cluster\?/],
  [['enable', ...C, '--timeout', '0'], /--timeout "0" is too short/],
  [['enable', ...C, '--timeout', 'soon'], /--timeout "soon" is not a duration/],
  [['enable', ...C, '--poll-interval', '0ms'], /--poll-interval "0ms" is too short/],
  [['enable', ...C, '--prefix-length', '99'], /--prefix-length "99" is not a whole number from 16 to 28/],
  [['enable', ...C, '--kubeconfig', ''], /--kubeconfig is empty/],
  [['enable', ...C, '--context', ''], /--context is empty/],
  [['enable', '--clustr', 'aks-demo', '-g', 'rg-aks'], /unknown option '--clustr'[\s\S]*--cluster\?/],
  [['disable', '--cluster', '', '-g', 'rg-aks'], /--cluster is empty/],
  [['disable', '--clustr', 'aks-demo', '-g', 'rg-aks'], /unknown option '--clustr'[\s\S]*--cluster\?/],
  [['status', '--cluster', 'aks-demo', '-g', ''], /--resource-group is empty/],
  [['status', '--clustr', 'aks-demo', '-g', 'rg-aks'], /unknown option '--clustr'[\s\S]*--cluster\?/],
  [['emulator', 'start', '--port', '0x50'], /--port "0x50" is not a whole number from 0 to 65535/],
  [['emulator', 'start', '--port', ''], /--port "" is not a whole number/],
  [['emulator', 'start', '--latency', '1.5'], /--latency "1\.5" is not a whole number from 0 to 60000/],
  [['emulator', 'start', '--lro-delay', '-1'], /--lro-delay "-1" is not a whole number/],
  [['emulator', 'start', '--scenario', ''], /--scenario is empty/],
  [['emulator', 'start', '--write-env', ''], /--write-env is empty/],
  [['demo', '--scenario', ''], /--scenario is empty/],
];

describe('bad options: exit 2, one error line and its fix, no stack, no Azure call', () => {
  it.each(CASES)('%j', async (argv, message) => {
    const before = emu.requests.entries.length;
    const r = await run(argv, emu.env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
    // Ours carry a fix: line; commander's own (unknown or missing options) carry the usage hint.
    expect(r.stderr).toMatch(/^(fix: |\(add --help for usage\))/m);
    expect(r.stdout).toBe('');
    expect(emu.requests.entries.length).toBe(before);
  });

  it.each(CASES.filter(([argv]) => argv[0] !== 'demo'))(
    '%j -o json: one JSON document with error.code',
    async (argv) => {
      const r = await run([...argv, '-o', 'json'], emu.env());
      expect(r.exitCode).toBe(2);
      expect(r.json()).toMatchObject({
        schemaVersion: 1,
        kind: 'error',
        error: { code: expect.stringMatching(/^VNODES_/) },
      });
    },
  );
});
