import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

// The README's stream contract (issue 12, defect 13): check results, a `warn` included, are the result (stdout); the
// run's own progress is on stderr; with -o json stdout holds exactly one document.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'private-cluster' });
});
afterAll(() => emu.close());

const argv = ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks'];

describe('stdout and stderr', () => {
  it('people: the warn check in the table on stdout, only progress lines on stderr', async () => {
    const r = await run(argv, emu.env());
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^warn\s+network\.private-cluster\s+Private API server/m);
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^ok Reading /);
  });

  it('-o json: one document holding the warn check, nothing on stderr', async () => {
    const r = await run([...argv, '-o', 'json'], emu.env());
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().checks).toContainEqual(expect.objectContaining({ id: 'network.private-cluster', status: 'warn' }));
  });
});
