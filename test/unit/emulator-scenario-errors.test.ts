import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/emulator/index.js';
import { loadScenario } from '../../src/emulator/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'vnodes-scenario-errors-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
mkdirSync(join(dir, 'a-directory.yaml'));

// [what, file or name, the problem, the line]
const cases: [string, string, RegExp, number | undefined][] = [
  ['missing file', join(dir, 'missing.yaml'), /does not exist/, undefined],
  ['a directory', join(dir, 'a-directory.yaml'), /cannot be read \(EISDIR\)/, undefined],
  ['invalid YAML', file('bad.yaml', 'description: x\nresources: [1, 2\n'), /not valid YAML/, 3],
  ['not a mapping', file('list.yaml', '- 1\n- 2\n'), /not a mapping .* a list/, undefined],
  ['empty', file('empty.yaml', ''), /not a mapping .* empty/, undefined],
  ['unknown key', file('unknown.yaml', 'description: x\n\nresourceGroup: []\n'), /unknown key 'resourceGroup'/, 3],
  [
    'bad extends',
    file('extends.yaml', 'description: x\nextends: nonesuch\n'),
    /'extends: nonesuch': Unknown scenario/,
    2,
  ],
  ['extends not a string', file('extends2.yaml', 'extends: [healthy]\n'), /'extends' must be/, 1],
  [
    'bad pageSize',
    file('page.yaml', 'description: x\npageSize: 0.5\n'),
    /pageSize must be a positive integer, not 0.5/,
    2,
  ],
  ['resources not a list', file('res.yaml', 'resources: {a: 1}\n'), /'resources' must be a list/, 1],
  ['unknown name', 'no-such-scenario', /Unknown scenario 'no-such-scenario'/, undefined],
];

describe('scenario problems are ScenarioErrors naming the file, the bad part and its line', () => {
  it.each(cases)('%s', async (_what, ref, problem, line) => {
    const error = await loadScenario(ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.problem).toMatch(problem);
    expect(e.line).toBe(line);
    if (ref.startsWith('/')) expect(e.message).toContain(ref);
    if (line) expect(e.message).toContain(`line ${line}:`);
  });
});
