import { armRemediation } from '../azure/arm-errors.js';
import { isVnodesError, AzureError } from '../errors.js';
import { redactText } from '../util/redact.js';
import type { Style } from './style.js';

/** Version of the JSON documents vnodes prints; fields are only ever added. */
export const SCHEMA_VERSION = 1;

/** One JSON document for stdout. */
export function renderJson(kind: string, result: unknown): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, kind, ...(result as object) }, null, 2) + '\n';
}

/** The JSON error document for a command line commander could not parse (exit 2). */
export function usageErrorJson(message: string): string {
  return (
    JSON.stringify(
      { schemaVersion: SCHEMA_VERSION, kind: 'error', error: { code: 'VNODES_USAGE', message, exitCode: 2 } },
      null,
      2,
    ) + '\n'
  );
}

const GENERAL_FIX = 'Re-run with --debug to see each call vnodes made and the full error, then retry.';
const BUG_FIX = 'This is a bug in vnodes: re-run with --debug for the stack trace and report it.';

/** An error for people (stderr) and for scripts (a JSON document, used in -o json mode). */
export function renderError(
  error: unknown,
  opts: { debug: boolean; style: Style; secrets: readonly string[] },
): { text: string; json: string } {
  const { style } = opts;
  const lines: string[] = [];
  let doc: Record<string, unknown>;
  if (isVnodesError(error)) {
    lines.push(`${style.chalk.red('error:')} ${error.message}`);
    for (const d of error.details) lines.push(`  ${d}`);
    if (error instanceof AzureError && error.arm.requestId)
      lines.push(style.chalk.dim(`  x-ms-request-id: ${error.arm.requestId}`));
    // The contract: every error printed has a fix line. Azure errors raised without one get advice by ARM code and
    // status; anything else the general advice.
    const remediation =
      error.remediation ??
      (error instanceof AzureError
        ? armRemediation(error.arm.statusCode, error.arm.armCode, error.message)
        : GENERAL_FIX);
    lines.push(`${style.chalk.cyan('fix:')} ${remediation}`);
    doc = {
      code: error.code,
      message: error.message,
      remediation,
      ...(error.details.length ? { details: error.details } : {}),
      ...(error instanceof AzureError ? { azure: error.arm } : {}),
      exitCode: error.exitCode,
    };
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${style.chalk.red('internal error:')} ${message}`);
    lines.push(`${style.chalk.cyan('fix:')} ${BUG_FIX}`);
    doc = { code: 'VNODES_INTERNAL', message, remediation: BUG_FIX, exitCode: 70 };
  }
  if (opts.debug && error instanceof Error && error.stack) lines.push(style.chalk.dim(error.stack));
  const text = redactText(lines.join('\n') + '\n', opts.secrets);
  const json = redactText(
    JSON.stringify({ schemaVersion: SCHEMA_VERSION, kind: 'error', error: doc }, null, 2) + '\n',
    opts.secrets,
  );
  return { text, json };
}
