import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { Emulator } from '../../src/emulator/index.js';

/** The real ACI SDK client pointed at an emulator. */
export function aciClient(emu: Emulator): ContainerInstanceManagementClient {
  const credential = { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3600e3 }) };
  return new ContainerInstanceManagementClient(credential, emu.subscriptionId, {
    endpoint: emu.armEndpoint.replace(/\/$/, ''),
    tlsOptions: { ca: emu.caPem },
  } as never);
}
