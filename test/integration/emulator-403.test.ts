import { ResourceManagementClient } from '@azure/arm-resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy', faults: '403:x1:PUT */resourcegroups/*' });
});
afterAll(() => emu.close());

describe('403 fault', () => {
  it('answers AuthorizationFailed naming the RBAC action, once', async () => {
    const client = new ResourceManagementClient(
      { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3600e3 }) },
      emu.subscriptionId,
      { endpoint: emu.armEndpoint, tlsOptions: { ca: emu.caPem } } as never,
    );
    const error = await client.resourceGroups.createOrUpdate('rg-x', { location: 'eastus' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((error as Error).message).toContain(
      "does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write'",
    );
    await expect(client.resourceGroups.createOrUpdate('rg-x', { location: 'eastus' })).resolves.toMatchObject({
      name: 'rg-x',
    });
  });
});
