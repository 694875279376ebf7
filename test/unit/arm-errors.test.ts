import { describe, expect, it } from 'vitest';
import { toAzureError } from '../../src/azure/arm-errors.js';
import { AzureError } from '../../src/errors.js';

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
