import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/azure/interrupt-policy.js';

const response = (status: number, headers: Record<string, string>) => ({
  status,
  headers: { get: (name: string) => headers[name.toLowerCase()] } as never,
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [429, { 'retry-after': '30' }, 30_000],
    [503, { 'retry-after': '0' }, 0],
    [429, { 'retry-after-ms': '250' }, 250],
    [429, { 'x-ms-retry-after-ms': '1500', 'retry-after': '99' }, 1500],
    [429, { 'retry-after': 'Thu, 01 Jan 2026 00:02:00 GMT' }, 120_000],
    [429, { 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, 0],
    [429, {}, undefined],
    [429, { 'retry-after': 'soon' }, undefined],
    [500, { 'retry-after': '30' }, undefined],
    [200, { 'retry-after': '30' }, undefined],
  ])('%i %j → %s', (status, headers, expected) => {
    expect(retryAfterMs(response(status, headers), now)).toBe(expected);
  });

  it('waits out what the SDK itself would (30 s) and no more', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(30_000);
  });
});
