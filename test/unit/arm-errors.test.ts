import { describe, expect, it } from 'vitest';
import { toAzureError } from '../../src/azure/arm-errors.js';
import { AzureError } from '../../src/errors.js';
import { renderError } from '../../src/output/render.js';
import { createStyle } from '../../src/output/style.js';

/** The fix line an error is printed with. */
const fixOf = (e: unknown) =>
  /^fix: (.*)$/m.exec(renderError(e, { debug: false, style: createStyle(false), secrets: [] }).text)?.[1];

describe('toAzureError', () => {
  it('keeps ARM code of a failed long-running operation, even when its message mentions a network', () => {
    const e = toAzureError(
      new Error(
        "The long-running operation has failed. NetcfgSubnetRangesOverlap. Subnet 'a' overlaps 'b' in virtual network 'aks-vnet'.",
      ),
      'creating subnet a',
    );
    expect(e).toBeInstanceOf(AzureError);
    expect((e as AzureError).arm.armCode).toBe('NetcfgSubnetRangesOverlap');
    expect(e.code).toBe('VNODES_AZURE');
  });

  it.each([
    [{ code: 'ECONNRESET', message: 'socket hang up' }],
    [{ code: 'REQUEST_SEND_ERROR', message: 'Error sending request' }],
  ])('calls %j a lost connection', (raw) => {
    expect(toAzureError(Object.assign(new Error(raw.message), { code: raw.code }), 'x').code).toBe(
      'VNODES_AZURE_UNREACHABLE',
    );
  });

  it('does not call an unknown SDK error about networks a lost connection', () => {
    expect(toAzureError(new Error('Microsoft.Network refused'), 'x').code).toBe('VNODES_AZURE');
  });

  it('maps a credential failure to exit 4', () => {
    const e = toAzureError(Object.assign(new Error('no credential'), { name: 'CredentialUnavailableError' }), 'x');
    expect(e.exitCode).toBe(4);
  });
});

describe('every Azure failure has a fix line', () => {
  const rest = (statusCode: number, code: string, message = 'm') =>
    Object.assign(new Error(message), {
      name: 'RestError',
      statusCode,
      code,
      response: { headers: { get: () => 'rid-1' }, bodyAsText: JSON.stringify({ error: { code, message } }) },
    });
  it.each([
    [404, 'SubscriptionNotFound', /az account list/],
    [404, 'ResourceGroupNotFound', /az group list/],
    [404, 'ResourceNotFound', /Check the names/],
    [429, 'TooManyRequests', /throttling .* retried it 3 times/],
    [500, 'InternalServerError', /server-side .* x-ms-request-id/],
    [503, 'ServiceUnavailable', /server-side/],
    [431, 'Http431', /431 Request Header Fields Too Large/],
    [409, 'OperationNotAllowed', /Another operation/],
    [409, 'MissingSubscriptionRegistration', /az provider register/],
    [400, 'InvalidParameter', /ARM's message/],
  ])('%i %s', (status, code, fix) => {
    const e = toAzureError(rest(status, code), 'x');
    expect(fixOf(e)).toMatch(fix);
    expect((e as AzureError).arm).toMatchObject({ armCode: code, statusCode: status, requestId: 'rid-1' });
  });

  it('a failed long-running operation', () => {
    const e = toAzureError(new Error('The long-running operation has failed. InternalServerError. boom'), 'x');
    expect(fixOf(e)).toMatch(/re-run the same command/);
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    'a TLS failure %s names VNODES_ARM_CA_FILE',
    (code) => {
      const e = toAzureError(
        Object.assign(new Error('unable to verify the first certificate'), {
          code,
          request: { url: 'https://arm.example/x' },
        }),
        'x',
      );
      expect(e.code).toBe('VNODES_AZURE_TLS');
      expect(e.message).toContain('arm.example');
      expect(fixOf(e)).toContain('VNODES_ARM_CA_FILE');
    },
  );
});
