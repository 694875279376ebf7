// vnodes' provider as the emulated add-on's connector: the emulator hands over its cluster, ARM endpoint and node, and
// the same runProvider as `provider run` serves virtual-node-aci-linux in-process. The shape matches the emulator's
// ConnectorRuntime structurally, so neither side imports the other.
import { createAzureContext } from '../azure/context.js';
import { containerGroupsPort } from '../azure/container-groups.js';
import { createThrottle } from '../azure/throttle.js';
import { kubeConfigFromString, providerKube } from '../kube/provider-objects.js';
import type { ProviderConfig } from './config.js';
import { eventLine, type ProviderEvent } from './events.js';
import { runProvider } from './run.js';

/** What the emulator gives a connector runtime (see src/emulator/aks/connector-runtime.ts). */
export interface ConnectorStart {
  clusterName: string;
  kubeconfig: string;
  armEndpoint: string;
  caFile: string;
  token: string;
  subscriptionId: string;
  nodeName: string;
  aciResourceGroup: string;
  region: string;
  subnetId: string;
  nodeIP: string;
  log(line: string): void;
}

/** Tuning of the in-process connector. */
export interface ConnectorRuntimeOptions {
  version: string;
  /** Default 2 s (tests use less). */
  syncIntervalMs?: number;
  refreshMs?: number;
  armRate?: number;
  /** Also sees every event (e.g. --debug lines). */
  onEvent?(event: ProviderEvent): void;
}

/** A runtime for `startEmulator({ connectorRuntime })`. */
export function providerConnectorRuntime(options: ConnectorRuntimeOptions) {
  return {
    async start(input: ConnectorStart): Promise<{ stop(): Promise<void> }> {
      const azure = await createAzureContext({
        subscriptionFlag: input.subscriptionId,
        cloudFlag: undefined,
        env: {
          VNODES_ARM_ENDPOINT: input.armEndpoint,
          VNODES_ARM_CA_FILE: input.caFile,
          VNODES_ARM_TOKEN: input.token,
          AZURE_SUBSCRIPTION_ID: input.subscriptionId,
        },
        version: options.version,
        debug: () => undefined,
      });
      const rate = options.armRate ?? 50;
      const throttle = createThrottle({ ratePerSecond: rate, burst: rate * 2, concurrency: 32 });
      const kube = await providerKube(await kubeConfigFromString(input.kubeconfig));
      const cfg: ProviderConfig = {
        nodeName: input.nodeName,
        resourceGroup: input.aciResourceGroup,
        region: input.region,
        subnetId: input.subnetId,
        syncIntervalMs: options.syncIntervalMs ?? 2000,
        refreshMs: options.refreshMs ?? 60_000,
        dryRun: false,
        // As AKS does when the add-on goes: the node goes, the container groups stay.
        drain: 'node',
        once: false,
        nodeIP: input.nodeIP,
        version: options.version,
        holder: input.nodeName,
      };
      const controller = new AbortController();
      let registered!: () => void;
      const ready = new Promise<void>((resolve) => (registered = resolve));
      const out = {
        emit(e: ProviderEvent) {
          input.log(
            `time="${new Date().toISOString()}" level=info msg="${eventLine(e).replace(/"/g, '\\"')}" provider=vnodes`,
          );
          options.onEvent?.(e);
          if (e.event === 'node-registered' || e.event === 'stopped') registered();
        },
      };
      const run = runProvider(
        cfg,
        { aci: await containerGroupsPort(azure, throttle), kube, throttle },
        out,
        controller.signal,
      ).finally(() => kube.close());
      run.catch((error: Error) =>
        input.log(`time="${new Date().toISOString()}" level=error msg="provider stopped" error="${error.message}"`),
      );
      await Promise.race([ready, run]);
      return {
        async stop() {
          controller.abort();
          await run.catch(() => undefined);
        },
      };
    },
  };
}
