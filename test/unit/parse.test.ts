import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { cidr, duration, integer, nonEmpty, oneOf, optional, positiveNumber } from '../../src/commands/parse.js';

/** What a parser gave: its value, or the one line it refused with. */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return `error: ${(error as UsageError).message}`;
  }
}

describe('positiveNumber', () => {
  it.each<[string, unknown]>([
    ['1', 1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['16', 16],
    ['0', 'error: --cpu "0" is not a positive number.'],
    ['-1', 'error: --cpu "-1" is not a positive number.'],
    ['0x10', 'error: --cpu "0x10" is not a positive number.'],
    ['1e1', 'error: --cpu "1e1" is not a positive number.'],
    ['Infinity', 'error: --cpu "Infinity" is not a positive number.'],
    ['', 'error: --cpu "" is not a positive number.'],
    [' 2', 'error: --cpu " 2" is not a positive number.'],
    ['2x', 'error: --cpu "2x" is not a positive number.'],
    ['1.', 'error: --cpu "1." is not a positive number.'],
  ])('%j → %j', (value, expected) => expect(outcome(() => positiveNumber('--cpu', value))).toEqual(expected));

  it('names the flag and an example in its fix', () => {
    expect(() => positiveNumber('--memory', 'x', { example: '1.5' })).toThrow(
      expect.objectContaining({ remediation: 'Pass e.g. --memory 1.5.', exitCode: 2 }),
    );
  });
});

describe('integer', () => {
  const range = { min: 1, max: 64 };
  it.each<[string, unknown]>([
    ['1', 1],
    ['64', 64],
    ['8', 8],
    ['0', 'error: --concurrency "0" is not a whole number from 1 to 64.'],
    ['65', 'error: --concurrency "65" is not a whole number from 1 to 64.'],
    ['0.5', 'error: --concurrency "0.5" is not a whole number from 1 to 64.'],
    ['8.0', 'error: --concurrency "8.0" is not a whole number from 1 to 64.'],
    ['0x10', 'error: --concurrency "0x10" is not a whole number from 1 to 64.'],
    ['1e1', 'error: --concurrency "1e1" is not a whole number from 1 to 64.'],
    ['-3', 'error: --concurrency "-3" is not a whole number from 1 to 64.'],
    ['', 'error: --concurrency "" is not a whole number from 1 to 64.'],
    [' 8', 'error: --concurrency " 8" is not a whole number from 1 to 64.'],
  ])('%j → %j', (value, expected) => expect(outcome(() => integer('--concurrency', value, range))).toEqual(expected));

  it('takes a code and fix of its own', () => {
    expect(() => integer('--prefix-length', '8', { min: 16, max: 28 }, { code: 'VNODES_X', fix: 'Do y.' })).toThrow(
      expect.objectContaining({ code: 'VNODES_X', remediation: 'Do y.' }),
    );
  });
});

describe('duration', () => {
  it.each<[string, unknown]>([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2', 2000],
    ['0', 'error: --timeout "0" is too short (at least 1 ms).'],
    ['0s', 'error: --timeout "0s" is too short (at least 1 ms).'],
    ['10', 10_000],
    ['ten', 'error: --timeout "ten" is not a duration.'],
    ['10 m', 'error: --timeout "10 m" is not a duration.'],
    ['-5s', 'error: --timeout "-5s" is not a duration.'],
    ['1d', 'error: --timeout "1d" is not a duration.'],
  ])('%j → %j', (value, expected) => expect(outcome(() => duration('--timeout', value))).toEqual(expected));
});

describe('cidr, oneOf, nonEmpty, optional', () => {
  it.each<[() => unknown, unknown]>([
    [() => cidr('--cidr', '10.241.0.0/24'), '10.241.0.0/24'],
    [() => oneOf('--mode', 'b', ['a', 'b']), 'b'],
    [() => oneOf('--mode', 'c', ['a', 'b']), 'error: --mode "c" is not one of a, b.'],
    [() => nonEmpty('--cluster', 'aks-demo'), 'aks-demo'],
    [() => nonEmpty('--cluster', ''), 'error: --cluster is empty.'],
    [() => nonEmpty('--cluster', '   '), 'error: --cluster is empty.'],
    [() => optional(undefined, (v) => positiveNumber('--cpu', v)), undefined],
    [() => optional('2', (v) => positiveNumber('--cpu', v)), 2],
  ])('%s → %j', (fn, expected) => expect(outcome(fn)).toEqual(expected));

  it('cidr keeps the network rules and their messages', () => {
    expect(outcome(() => cidr('--cidr', '10.241.0.0'))).toMatch(/missing the prefix length/);
  });
});
