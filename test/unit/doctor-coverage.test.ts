// Every doctor check has an end-to-end case where it fails (or warns) and one where it passes, or an exemption that
// says why and names the test covering it instead: the expectations the doctor tests run, read as data.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { doctorChecks } from '../../src/checks/doctor.js';
import { listScenarios } from '../../src/emulator/index.js';
import {
  DOCTOR_CASES,
  EXEMPT,
  POLICY_CASES,
  PROBE_CASES,
  REGISTRY_CASES,
  type Cases,
} from '../helpers/doctor-cases.js';

const TABLES: Record<string, Cases> = { DOCTOR_CASES, POLICY_CASES, REGISTRY_CASES, PROBE_CASES };
const ids = doctorChecks.map((c) => c.id);
const rows = Object.entries(TABLES).flatMap(([table, cases]) =>
  Object.entries(cases).flatMap(([name, expected]) =>
    Object.entries(expected).map(([id, status]) => ({ table, name, id, status })),
  ),
);
const seen = (id: string, statuses: string[]) => rows.some((r) => r.id === id && statuses.includes(r.status));

describe('doctor coverage: every check fails somewhere and passes somewhere', () => {
  it.each(ids)('%s', (id) => {
    const failing = seen(id, ['fail', 'warn']);
    const passing = seen(id, ['pass']);
    const exempt = EXEMPT[id];
    const missing = !failing && !passing ? 'both' : !failing ? 'fail' : !passing ? 'pass' : undefined;
    if (!exempt) {
      expect(missing, `${id} has no ${missing} row in test/helpers/doctor-cases.ts and no exemption`).toBeUndefined();
      return;
    }
    // An exemption that is no longer needed, or covers the wrong side, is stale.
    expect(missing, `${id}: the exemption says ${exempt.missing} is missing`).toBe(exempt.missing);
    expect(exempt.reason.length).toBeGreaterThan(20);
    expect(existsSync(exempt.coveredBy), exempt.coveredBy).toBe(true);
    expect(readFileSync(exempt.coveredBy, 'utf8'), `${exempt.coveredBy} names ${id}`).toContain(id);
  });

  it('every row names a doctor check, a status and a shipped scenario', () => {
    const scenarios = new Set(listScenarios());
    for (const r of rows) {
      expect(ids, `${r.table} ${r.name}`).toContain(r.id);
      expect(['pass', 'warn', 'fail', 'skip', 'error'], `${r.table} ${r.name} ${r.id}`).toContain(r.status);
      expect([...scenarios], `${r.table} ${r.name}`).toContain(r.name.split(' ')[0]);
    }
    for (const id of Object.keys(EXEMPT)) expect(ids).toContain(id);
  });

  it('no scenario runs a full doctor in two files', () => {
    const doctor = new Set(Object.keys(DOCTOR_CASES));
    expect(Object.keys(REGISTRY_CASES).filter((s) => doctor.has(s))).toEqual([]);
  });
});
