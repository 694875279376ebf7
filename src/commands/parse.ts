// The one set of strict option parsers every command's parse() uses. Commander hands over strings; each parser
// accepts exactly the spelling its message promises (decimal digits, no hex, exponents, blanks or trailing junk) and
// otherwise throws a UsageError: one line naming the flag and the value, and a fix (exit 2).
import { UsageError } from '../errors.js';
import { parseSubnetCidr } from '../network/input.js';
import { parseDuration } from '../util/duration.js';

const DECIMAL = /^(\d+(\.\d+)?|\.\d+)$/;
const WHOLE = /^\d+$/;

/** How a parser words its fix and code, when the default ("Pass e.g. FLAG EXAMPLE.", VNODES_USAGE) is not enough. */
export interface ParseHelp {
  example?: string;
  fix?: string;
  code?: string;
}

function bad(flag: string, value: unknown, what: string, help: ParseHelp, example: string): UsageError {
  const fix = help.fix ?? `Pass e.g. ${flag} ${help.example ?? example}.`;
  return new UsageError(`${flag} "${String(value)}" is ${what}.`, fix, help.code);
}

/** A number greater than zero, written in decimal: 2, 0.5, 1.5. */
export function positiveNumber(flag: string, value: unknown, help: ParseHelp = {}): number {
  const text = String(value);
  const n = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(n) || n <= 0) throw bad(flag, value, 'not a positive number', help, '1');
  return n;
}

/** A whole number from min to max, in decimal digits only. */
export function integer(flag: string, value: unknown, range: { min: number; max: number }, help: ParseHelp = {}) {
  const text = String(value);
  const n = Number(text);
  if (!WHOLE.test(text) || n < range.min || n > range.max)
    throw bad(flag, value, `not a whole number from ${range.min} to ${range.max}`, help, String(range.min));
  return n;
}

/** A duration ("90s", "10m", "1m30s", "500ms", or seconds) in milliseconds, at least `minMs`. */
export function duration(flag: string, value: unknown, minMs = 1): number {
  const ms = parseDuration(String(value), flag);
  if (ms < minMs)
    throw new UsageError(
      `${flag} "${String(value)}" is too short (at least ${minMs} ms).`,
      `Pass e.g. ${flag} 10m, ${flag} 90s or ${flag} 500ms.`,
      'VNODES_INVALID_DURATION',
    );
  return ms;
}

/** An IPv4 CIDR for an ACI subnet, normalised ("10.241.0.0/24"). */
export function cidr(flag: string, value: unknown): string {
  return parseSubnetCidr(String(value), flag).cidr;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(flag: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T))
    throw new UsageError(
      `${flag} "${String(value)}" is not one of ${choices.join(', ')}.`,
      `Pass e.g. ${flag} ${choices[0]}.`,
    );
  return value as T;
}

/** A value that is not empty or blank ("" would address a collection in ARM, not a resource). */
export function nonEmpty(flag: string, value: unknown, help: ParseHelp = {}): string {
  const text = String(value);
  if (text.trim() === '')
    throw new UsageError(
      `${flag} is empty.`,
      help.fix ?? `Pass a value, e.g. ${flag} ${help.example ?? 'NAME'}.`,
      help.code,
    );
  return text;
}

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;

/** A registry host (`mcr.microsoft.com`, `myacr.azurecr.io:443`), lower-cased; a scheme or trailing slash is dropped. */
export function registryHost(flag: string, value: unknown): string {
  const host = String(value)
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  if (!HOST.test(host))
    throw new UsageError(
      `${flag} "${String(value)}" is not a registry host.`,
      'Pass a host name such as mcr.microsoft.com or myacr.azurecr.io.',
    );
  return host.toLowerCase();
}

/** Applies a parser to an option that may be absent; undefined stays undefined. */
export function optional<T>(value: unknown, parse: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}
