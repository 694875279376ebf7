import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

// `script` (util-linux) runs the command on a pseudo-terminal, as a person's shell would.
const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
const haveScript = existsSync('/usr/bin/script');
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy' });
});
afterAll(() => emu.close());

function onTerminal(args: string[], extraEnv: Record<string, string> = {}, columns = 120, typed?: string) {
  const command = `stty cols ${columns} rows 40; ` + [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const env = { PATH: process.env.PATH!, HOME: '/nonexistent', TERM: 'xterm-256color', ...emu.env(), ...extraEnv };
  // Asynchronous: the emulator serving these requests runs in this process.
  const pending = promisify(execFile)('/usr/bin/script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    env,
    timeout: 20_000,
    maxBuffer: 1 << 20,
  });
  // What the person types goes to the terminal; the line discipline holds it until vnodes reads its answer.
  if (typed !== undefined) pending.child.stdin?.end(typed);
  return pending.then(
    ({ stdout }) => ({ status: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ status: error.code ?? -1, stdout: error.stdout ?? '' }),
  );
}
const SPINNER_OR_TICK = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔]/;
const COLOUR = /\x1b\[(3\d|9\d)m/;

describe.skipIf(!haveScript)('on a terminal', () => {
  it('shows spinners and colour', async () => {
    const r = await onTerminal(['check-region', '-l', 'eastus']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(SPINNER_OR_TICK);
    expect(r.stdout).toMatch(COLOUR);
  });

  it('falls back to plain lines on a terminal that reports no width', async () => {
    const r = await onTerminal(['check-region', '-l', 'eastus'], {}, 0);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('region(s) can host virtual-node pods');
    expect(r.stdout.length).toBeLessThan(5000);
  });

  it('drops colour with NO_COLOR', async () => {
    const r = await onTerminal(['check-region', '-l', 'eastus'], { NO_COLOR: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(COLOUR);
  });

  it('asks before enable writes, and does nothing when the answer is no', async () => {
    const no = await onTerminal(['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--no-wait'], {}, 120, 'n\n');
    expect(no.stdout).toMatch(/Enable virtual nodes on cluster aks-demo .*\? \[y\/N\]/);
    expect(no.stdout).toContain('Nothing was changed');
    expect(no.status).toBe(1);
    expect(emu.requests.count({ kind: 'write' })).toBe(0);
    const yes = await onTerminal(['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--no-wait'], {}, 120, 'y\n');
    expect(yes.status).toBe(0);
    expect(yes.stdout).toContain('Virtual nodes are enabled on aks-demo.');
  });

  it('prints one JSON document and no spinner with -o json', async () => {
    const r = await onTerminal(['check-region', '-l', 'eastus', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(SPINNER_OR_TICK);
    expect(JSON.parse(r.stdout.replace(/\r/g, ''))).toMatchObject({ kind: 'check-region', passed: true });
  });
});
