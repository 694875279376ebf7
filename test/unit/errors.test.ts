import { describe, expect, it } from 'vitest';
import {
  AuthError,
  AzureError,
  ExitCode,
  InterruptedError,
  UsageError,
  VnodesError,
  exitCodeOf,
} from '../../src/errors.js';
import { renderError } from '../../src/output/render.js';
import { createStyle } from '../../src/output/style.js';

describe('exit codes of errors', () => {
  it.each([
    [new UsageError('bad'), ExitCode.usage],
    [new AuthError('no', { code: 'X' }), ExitCode.auth],
    [new AzureError('x', { armCode: 'AuthorizationFailed', statusCode: 403, requestId: undefined }), ExitCode.auth],
    [new AzureError('x', { armCode: 'Conflict', statusCode: 409, requestId: undefined }), ExitCode.failed],
    [new VnodesError('x', { code: 'X' }), ExitCode.failed],
    [new InterruptedError(), ExitCode.interrupted],
    [new TypeError('undefined is not a function'), ExitCode.internal],
    ['a string', ExitCode.internal],
  ])('%s -> %i', (error, code) => expect(exitCodeOf(error)).toBe(code));
});

describe('renderError', () => {
  const style = createStyle(false);
  it('calls anything that is not a VnodesError a bug, with no stack unless --debug', () => {
    const error = new TypeError('boom');
    const plain = renderError(error, { debug: false, style, secrets: [] });
    expect(plain.text).toBe(
      'internal error: boom\nfix: This is a bug in vnodes: re-run with --debug for the stack trace and report it.\n',
    );
    expect(JSON.parse(plain.json)).toEqual({
      schemaVersion: 1,
      kind: 'error',
      error: {
        code: 'VNODES_INTERNAL',
        message: 'boom',
        remediation: 'This is a bug in vnodes: re-run with --debug for the stack trace and report it.',
        exitCode: 70,
      },
    });
    expect(renderError(error, { debug: true, style, secrets: [] }).text).toContain('at ');
  });

  it('shows ARM code, request id and the fix, and redacts secrets', () => {
    const error = new AzureError(
      'Azure returned 409 Conflict while x: token abc123secret',
      { armCode: 'Conflict', statusCode: 409, requestId: 'rid-1' },
      { remediation: 'do y' },
    );
    const out = renderError(error, { debug: false, style, secrets: ['abc123secret'] });
    expect(out.text).toBe(
      'error: Azure returned 409 Conflict while x: token REDACTED\n  x-ms-request-id: rid-1\nfix: do y\n',
    );
    expect(JSON.parse(out.json).error.azure).toEqual({ armCode: 'Conflict', statusCode: 409, requestId: 'rid-1' });
  });
});
