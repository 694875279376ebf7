import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/** Real SDK clients pointed at an emulator, for tests to read (and occasionally change) Azure state themselves. */
export function sdkClients(emu: Emulator) {
  const credential = { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3600e3 }) };
  const options = { endpoint: emu.armEndpoint.replace(/\/$/, ''), tlsOptions: { ca: emu.caPem } } as never;
  return {
    aks: new ContainerServiceClient(credential, emu.subscriptionId, options),
    network: new NetworkManagementClient(credential, emu.subscriptionId, options),
    authz: new AuthorizationManagementClient(credential, emu.subscriptionId, options),
  };
}

/** A real Kubernetes client for a cluster's emulated API server. */
export async function kubeClient(emu: Emulator, cluster?: string): Promise<CoreV1Api> {
  const api = await emu.kube(cluster);
  const config = new KubeConfig();
  config.loadFromString(api.kubeconfig());
  return config.makeApiClient(CoreV1Api);
}

/** A pod aimed at the virtual node (its selector and toleration), one container named as the pod. */
export const virtualNodePod = (name: string, image: string): V1Pod => ({
  metadata: { name },
  spec: {
    nodeSelector: { type: 'virtual-kubelet' },
    tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }],
    containers: [{ name, image }],
  },
});

/** Resolves when `check` returns true, polling; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000, every = 10): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * An emulator whose aci-connector runs vnodes' provider in-process (as `vnodes emulator start` and `demo` do), with
 * test-speed timings; pods bound to virtual-node-aci-linux become container groups.
 */
export async function startEmulated(
  options: EmulatorOptions = {},
  provider: { syncIntervalMs?: number } = {},
): Promise<Emulator> {
  const { startEmulator } = await import('../../src/emulator/index.js');
  const { providerConnectorRuntime } = await import('../../src/provider/connector-runtime.js');
  return startEmulator({
    lroDelayMs: 10,
    principalPropagationMs: 0,
    connectorReconcileMs: 50,
    connectorRuntime: providerConnectorRuntime({
      version: 'test',
      syncIntervalMs: provider.syncIntervalMs ?? 100,
      refreshMs: 1000,
    }),
    ...options,
  });
}

/**
 * One emulator per test, closed after it: `on(scenario)` starts it with fast timings (short LROs, no principal
 * propagation delay, a quick connector tick); `forget()` is for a test that closed it itself.
 */
export function emulatorPerTest(afterEach: (fn: () => Promise<void>) => void) {
  let current: Emulator | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async on(scenario: string, options: EmulatorOptions = {}): Promise<Emulator> {
      const { startEmulator } = await import('../../src/emulator/index.js');
      current = await startEmulator({
        scenario,
        lroDelayMs: 10,
        principalPropagationMs: 0,
        connectorReconcileMs: 50,
        ...options,
      });
      return current;
    },
    forget(): void {
      current = undefined;
    },
  };
}
