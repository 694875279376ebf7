import { describe, expect, it } from 'vitest';
import { defineCheck, runChecks, selectChecks, validateRegistry, countByStatus } from '../../src/checks/engine.js';
import { createFactsContext, type Facts } from '../../src/checks/facts.js';
import { AzureError } from '../../src/errors.js';
import type { Cloud } from '../../src/azure/cloud.js';

const cloud = { name: 'AzureCloud' } as Cloud;

const cloudNamed = (name: string, status: 'pass' | 'fail', requires?: string[]) =>
  defineCheck({
    id: `cloud.${name}`,
    title: name,
    area: 'cloud',
    tags: [],
    facts: ['cloud'],
    ...(requires ? { requires } : {}),
    run: (f) => ({ status, summary: `${name} saw ${f.cloud.name}`, evidence: [] }),
  });

describe('check engine', () => {
  it('loads each fact once per run, however many checks read it', async () => {
    let loads = 0;
    const ctx = createFactsContext({
      cloud: async () => {
        loads++;
        return cloud;
      },
    });
    const results = await runChecks([cloudNamed('a', 'pass'), cloudNamed('b', 'pass'), cloudNamed('c', 'pass')], ctx);
    expect(loads).toBe(1);
    expect(results.map((r) => [r.id, r.status, r.summary])).toEqual([
      ['cloud.a', 'pass', 'a saw AzureCloud'],
      ['cloud.b', 'pass', 'b saw AzureCloud'],
      ['cloud.c', 'pass', 'c saw AzureCloud'],
    ]);
    expect(results.every((r) => typeof r.durationMs === 'number' && r.area === 'cloud')).toBe(true);
  });

  it('skips a check whose requirement did not pass, naming it, and still runs unrelated checks', async () => {
    const ctx = createFactsContext({ cloud: async () => cloud });
    const results = await runChecks(
      [cloudNamed('base', 'fail'), cloudNamed('dependent', 'pass', ['cloud.base']), cloudNamed('other', 'pass')],
      ctx,
    );
    expect(results.map((r) => r.status)).toEqual(['fail', 'skip', 'pass']);
    expect(results[1]!.summary).toContain('cloud.base');
    expect(results[1]!.summary).toContain('fail');
  });

  it('treats a requirement that passed with a warning as met', async () => {
    const warn = defineCheck({
      id: 'cloud.warn',
      title: 'w',
      area: 'cloud',
      tags: [],
      facts: [],
      run: () => ({ status: 'warn', summary: 'w', evidence: [] }),
    });
    const results = await runChecks(
      [warn, cloudNamed('after', 'pass', ['cloud.warn'])],
      createFactsContext({ cloud: async () => cloud }),
    );
    expect(results[1]!.status).toBe('pass');
  });

  it('makes checks whose fact was refused `error` naming the missing permission, never `fail`', async () => {
    const refused = new AzureError(
      "The client 'x' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '/subscriptions/s'.",
      { armCode: 'AuthorizationFailed', statusCode: 403, requestId: 'r' },
    );
    const ctx = createFactsContext({
      cloud: async () => {
        throw refused;
      },
    });
    const [result] = await runChecks([cloudNamed('a', 'fail')], ctx);
    expect(result!.status).toBe('error');
    expect(result!.summary).toContain('Microsoft.Network/virtualNetworks/read');
    expect(result!.remediation).toContain('Microsoft.Network/virtualNetworks/read');
  });

  it('names the Kubernetes verb and resource of a Forbidden answer', async () => {
    const ctx = createFactsContext({
      cloud: async () => {
        throw new AzureError(
          'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "kube-system"',
          {
            armCode: 'Forbidden',
            statusCode: 403,
            requestId: undefined,
          },
        );
      },
    });
    const [result] = await runChecks([cloudNamed('a', 'pass')], ctx);
    expect(result!.summary).toContain('missing permission list pods');
  });

  it('makes a check `skip` when the command reads none of its facts, and `error` when run throws', async () => {
    const throws = defineCheck({
      id: 'cloud.throws',
      title: 't',
      area: 'cloud',
      tags: [],
      facts: ['cloud'],
      run: () => {
        throw new Error('boom');
      },
    });
    const results = await runChecks([cloudNamed('a', 'pass'), throws], createFactsContext({}));
    expect(results[0]!.status).toBe('skip');
    const withCloud = await runChecks([throws], createFactsContext({}, { cloud } as Partial<Facts>));
    expect(withCloud[0]!.status).toBe('error');
    expect(withCloud[0]!.summary).toContain('boom');
  });

  it('starts independent fact loads in parallel and chains dependent ones', async () => {
    const order: string[] = [];
    const ctx = createFactsContext({
      cloud: async () => {
        order.push('cloud:start');
        await new Promise((r) => setTimeout(r, 20));
        order.push('cloud:end');
        return cloud;
      },
      aciProvider: async (get) => {
        order.push('provider:start');
        await get('cloud');
        order.push('provider:end');
        return { registrationState: 'Registered' };
      },
    });
    const both = defineCheck({
      id: 'cloud.both',
      title: 'b',
      area: 'cloud',
      tags: [],
      facts: ['cloud', 'aciProvider'],
      run: (f) => ({ status: 'pass', summary: String(f.aciProvider.registrationState), evidence: [] }),
    });
    const [r] = await runChecks([both], ctx);
    expect(r!.summary).toBe('Registered');
    expect(order.indexOf('provider:start')).toBeLessThan(order.indexOf('cloud:end'));
    expect(order.at(-1)).toBe('provider:end');
  });

  it('selects by id or area and reports names that match nothing', () => {
    const all = [cloudNamed('a', 'pass'), cloudNamed('b', 'pass')];
    expect(selectChecks(all, { only: ['cloud'] }).checks.map((c) => c.id)).toEqual(['cloud.a', 'cloud.b']);
    expect(selectChecks(all, { skip: ['cloud.a'] }).checks.map((c) => c.id)).toEqual(['cloud.b']);
    expect(selectChecks(all, { only: ['nope'] }).unknown).toEqual(['nope']);
  });

  it('validates a registry: unique ids, area.name, requirements first', () => {
    expect(validateRegistry([cloudNamed('a', 'pass'), cloudNamed('b', 'pass', ['cloud.a'])])).toEqual([]);
    expect(validateRegistry([cloudNamed('b', 'pass', ['cloud.a']), cloudNamed('a', 'pass')])).toHaveLength(1);
    expect(validateRegistry([cloudNamed('a', 'pass'), cloudNamed('a', 'pass')])).toHaveLength(1);
  });

  it('counts results by status', () => {
    expect(countByStatus([{ status: 'pass' }, { status: 'fail' }, { status: 'pass' }])).toEqual({
      pass: 2,
      warn: 0,
      fail: 1,
      skip: 0,
      error: 0,
    });
  });

  it('leaves out a check that does not apply, and counts it as satisfied for those that require it', async () => {
    const ctx = createFactsContext({ cloud: async () => cloud });
    const gated = defineCheck({ ...cloudNamed('gated', 'fail'), applies: () => false });
    const results = await runChecks([gated, cloudNamed('after', 'pass', ['cloud.gated'])], ctx);
    expect(results.map((r) => [r.id, r.status])).toEqual([['cloud.after', 'pass']]);
  });

  it('reuses prior results instead of running those checks again, and judges requirements by them', async () => {
    let runs = 0;
    const counted = defineCheck({
      ...cloudNamed('a', 'pass'),
      run: () => {
        runs++;
        return { status: 'pass', summary: 'ran', evidence: [] };
      },
    });
    const prior = [{ id: 'cloud.a', title: 'a', status: 'fail' as const, summary: 'earlier', evidence: [] }];
    const ctx = createFactsContext({ cloud: async () => cloud });
    const results = await runChecks([counted, cloudNamed('b', 'pass', ['cloud.a'])], ctx, { prior });
    expect(runs).toBe(0);
    expect(results.map((r) => [r.id, r.status, r.summary])).toEqual([
      ['cloud.a', 'fail', 'earlier'],
      ['cloud.b', 'skip', 'Skipped: needs cloud.a to pass, and it is fail.'],
    ]);
  });
});
