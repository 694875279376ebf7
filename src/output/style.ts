import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckStatus } from '../checks/model.js';

/** Colour helpers bound to the resolved terminal; plain text when colour is off. */
export interface Style {
  color: boolean;
  chalk: ChalkInstance;
  /** ✓ ! ✗ with colour; plain words without. */
  status(status: CheckStatus): string;
}

const GLYPHS: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '?' };
const WORDS: Record<CheckStatus, string> = { pass: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip', error: 'error' };

/** Builds the style for a terminal that has (or lacks) colour. */
export function createStyle(color: boolean): Style {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const paint: Record<CheckStatus, (s: string) => string> = {
    pass: chalk.green,
    warn: chalk.yellow,
    fail: chalk.red,
    skip: chalk.dim,
    error: chalk.magenta,
  };
  return {
    color,
    chalk,
    status: (s) => (color ? paint[s](GLYPHS[s]) : WORDS[s]),
  };
}
