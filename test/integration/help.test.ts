import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, GROUPS } from '../../src/commands/registry.js';
import { formKey, type HelpPages } from '../../src/help-pages.js';
import { run } from '../helpers/run-cli.js';

// dist/help.json is what bin/vnodes.js prints for a bare --help (npm test builds it first). It must never drift from
// what commander prints live, for any command and any way of asking.
const saved = JSON.parse(readFileSync(new URL('../../dist/help.json', import.meta.url), 'utf8')) as HelpPages;
const groups = Object.keys(GROUPS).filter((g) => COMMANDS.some((c) => c.path.length > 1 && c.path[0] === g));
const keys = ['', ...groups, ...COMMANDS.map((c) => c.path.join(' '))];

describe('saved help pages', () => {
  it('cover the program, every group and every command, each asked for in every way', () => {
    expect(Object.keys(saved.pages).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const words = key ? key.split(' ') : [];
      for (const argv of [
        [...words, '--help'],
        [...words, '-h'],
        ['help', ...words],
      ])
        expect(saved.forms[formKey(argv)]).toBe(key);
    }
    expect(saved.forms[formKey(['subnet', 'help', 'create'])]).toBe('subnet create');
  });

  it.each(Object.entries(saved.forms).map(([form, key]) => [form, key, JSON.parse(form) as string[]] as const))(
    'vnodes %s prints the saved page, byte for byte',
    async (_form, key, argv) => {
      const r = await run(argv);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(saved.pages[key]);
    },
  );

  it.each([
    [['check-region', '--help', '--no-color']],
    [['-o', 'json', '--help']],
    [['check-region', 'help']], // an argument to check-region, not a help request
    [['help', 'subnet', 'create', 'now']],
    [['enable', '--cluster', 'x', '--help']],
    [['check-region --help']], // one word with a space in it
    [[]],
  ])('%j is left to commander', (argv) => expect(saved.forms[formKey(argv)]).toBeUndefined());
});

describe('help content (issue 12, defect 13)', () => {
  it.each([
    [
      ['subnet', 'help', 'create'],
      ['--cidr <cidr>', '--prefix-length <n>', '--dry-run'],
    ],
    [
      ['emulator', 'help', 'start'],
      ['--scenario <name|file>', '--write-env <path>', '--az-config <dir>'],
    ],
    [
      ['help', 'enable'],
      ['--cluster <name>', '--timeout <duration>'],
    ],
    [
      ['help', 'subnet', 'create'],
      ['--cidr <cidr>', '--prefix-length <n>'],
    ],
  ])('%j shows the options', async (argv, options) => {
    const r = await run(argv);
    for (const option of options) expect(r.stdout).toContain(option);
  });

  it.each([
    ['check-region', ['--subscription', '-o, --output', '--cloud', '--debug', '--no-color'], ['--yes']],
    ['check-network', ['--subscription', '-o, --output'], ['--yes']],
    ['status', ['--subscription', '-o, --output'], ['--yes']],
    ['subnet create', ['--subscription', '-o, --output', '-y, --yes'], []],
    ['enable', ['--subscription', '-o, --output', '-y, --yes'], []],
    ['disable', ['--subscription', '-o, --output', '-y, --yes'], []],
    ['emulator start', ['-o, --output', '--debug'], ['--subscription', '--cloud', '--yes']],
    ['demo', ['--debug', '--no-color'], ['--subscription', '-o, --output', '--yes']],
  ])('vnodes %s --help lists the global options that apply', async (command, shown, hidden) => {
    const r = await run([...command.split(' '), '--help']);
    const global = r.stdout.slice(r.stdout.indexOf('Global Options:'));
    expect(r.stdout).toContain('Global Options:');
    for (const flag of shown) expect(global).toContain(flag);
    for (const flag of hidden) expect(global).not.toContain(flag);
    expect(global).not.toContain('--version');
  });

  it('-o json with no command: one JSON document on stdout, exit 2', async () => {
    const r = await run(['-o', 'json']);
    expect(r.exitCode).toBe(2);
    expect(r.json()).toMatchObject({ schemaVersion: 1, kind: 'error', error: { code: 'VNODES_USAGE' } });
  });

  it('-o json --help and --version: one JSON document each', async () => {
    const help = await run(['-o', 'json', 'check-region', '--help']);
    expect(help.json()).toMatchObject({ kind: 'help', text: expect.stringContaining('Usage: vnodes check-region') });
    const version = await run(['--version', '-o', 'json']);
    expect(version.json()).toMatchObject({ kind: 'version', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
