import type { OutputStream, Terminal } from '../deps.js';

/** Decides colour and interactivity from the environment, the streams and the flags. */
export function resolveTerminal(input: {
  env: Readonly<Record<string, string | undefined>>;
  stdout: OutputStream;
  stderr: OutputStream;
  noColorFlag: boolean;
  json: boolean;
}): Terminal {
  const { env } = input;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
  const interactive = Boolean(input.stderr.isTTY) && !ci && !input.json;
  let color: boolean;
  if (input.noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) color = false;
  else if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') color = true;
  else color = Boolean(input.stdout.isTTY) && env.TERM !== 'dumb';
  return { interactive, color };
}
