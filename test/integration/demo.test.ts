import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run-cli.js';

describe('vnodes demo', () => {
  it('runs every step against its own emulator, each shown as the command line it is', async () => {
    const r = await run(['demo']);
    expect(r.exitCode).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => l.startsWith('$ vnodes '));
    expect(steps).toEqual([
      '$ vnodes check-region --location "East US" --cpu 2 --memory 4',
      '$ vnodes check-network --cluster aks-demo -g rg-aks',
      '$ vnodes subnet create --cluster aks-demo -g rg-aks --dry-run',
      '$ vnodes enable --cluster aks-demo -g rg-aks --poll-interval 500ms --yes',
      '$ vnodes status --cluster aks-demo -g rg-aks',
      expect.stringMatching(/^\$ vnodes provider logs aci-helloworld-\S+ --cluster aks-demo -g rg-aks --tail 3$/),
    ]);
    expect(r.stdout).toContain('Virtual nodes are healthy.');
    // The sample deployment enable prints, applied: its pod Running on the virtual node, and its log through ARM.
    expect(r.stdout).toMatch(/^aci-helloworld-\S+ {2}Running {2}\S+ {2}virtual-node-aci-linux$/m);
    expect(r.stdout).toContain('aci-helloworld: starting mcr.microsoft.com/azuredocs/aci-helloworld');
  }, 60_000);

  it('runs its steps through commands/execute.ts, not cli.ts (which lists the demo: no circle)', () => {
    for (const file of ['demo.ts', 'execute.ts']) {
      const source = readFileSync(new URL(`../../src/commands/${file}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/from '\.\.\/cli\.js'|import\('\.\.\/cli\.js'\)/);
    }
  });
});
