// `vnodes check-region`: the ACI provider's registration, then each region's capabilities and usages. With --all the
// regions are read through an adaptive limit that starts wide (one round trip of depth when ARM is kind) and halves
// on 429; a region whose reads still fail is `error`, so every region is reported.
import type { Provider } from '@azure/arm-resources';
import { listCapabilities, listUsages } from '../azure/aci.js';
import type { AzureContext, CallCounts } from '../azure/context.js';
import { getProvider } from '../azure/providers.js';
import { isThrottled, retryAfterMs } from '../azure/throttled.js';
import { runChecks } from '../checks/engine.js';
import { createFactsContext, type FactLoaders, type Facts } from '../checks/facts.js';
import type { CheckResult } from '../checks/model.js';
import { ACI_NAMESPACE, providerChecks, providerRegions } from '../checks/region.js';
import type { Deps } from '../deps.js';
import { ExitCode, isVnodesError, type VnodesError } from '../errors.js';
import { adaptiveLimit, type AdaptiveLimit } from '../util/adaptive-limit.js';
import { sleep } from '../util/sleep.js';
import { reportRegion, type PodSize, type RegionReport } from './evaluate.js';
import { resolveRegions } from './names.js';

/** Options of `vnodes check-region`, as plain data. */
export interface CheckRegionOptions {
  locations: string[];
  all: boolean;
  size?: PodSize;
  /** How many region reads may be in flight at first with --all; 429s halve it. */
  concurrency: number;
}

/** The result of `vnodes check-region`. */
export interface CheckRegionResult {
  subscriptionId: string;
  provider: { namespace: string; registrationState: string };
  checks: CheckResult[];
  request?: PodSize;
  regions: RegionReport[];
  /** Regions that can host the virtual node (VNet), and fit the requested size when one was given. */
  usable: string[];
  /** Every named region usable (with --all: at least one) and the provider registered. */
  passed: boolean;
  /** The HTTP calls the run made. */
  calls: CallCounts;
}

/** The ACI resource provider: its registration and the regions it lists. */
export async function readAciProvider(deps: Pick<Deps, 'azure' | 'reporter'>): Promise<Provider> {
  const azure = await deps.azure();
  return deps.reporter.step(`Reading resource provider ${ACI_NAMESPACE}`, () => getProvider(azure, ACI_NAMESPACE));
}

/** Extra rounds after the SDK's own retries gave up on a 429, each after the wait ARM asked for. */
const THROTTLE_ROUNDS = 4;

/** The per-region fact loaders, every read through `limit`. */
export function regionLoaders(
  azure: AzureContext,
  location: string,
  throttle?: { limit: AdaptiveLimit; signal: AbortSignal },
): FactLoaders {
  const read = <T>(call: () => Promise<T>): Promise<T> => (throttle ? throttled(azure, throttle, call) : call());
  return {
    regionCapabilities: () => read(() => listCapabilities(azure, location)),
    regionUsages: () => read(() => listUsages(azure, location)),
  };
}

async function throttled<T>(
  azure: AzureContext,
  { limit, signal }: { limit: AdaptiveLimit; signal: AbortSignal },
  call: () => Promise<T>,
): Promise<T> {
  for (let round = 0; ; round++) {
    const epoch = limit.epoch();
    const before = azure.calls.throttled;
    try {
      return await limit.run(call);
    } catch (error) {
      if (!isThrottled(error) || round >= THROTTLE_ROUNDS) throw error;
      limit.backOff(epoch);
      await sleep(retryAfterMs(error) ?? 1000, signal);
    } finally {
      if (azure.calls.throttled > before) limit.backOff(epoch);
    }
  }
}

/**
 * Reads provider registration (unless the caller already has it), then capabilities and usages of each region, all
 * regions at once through the adaptive limit.
 */
export async function checkRegion(
  options: CheckRegionOptions,
  deps: Pick<Deps, 'azure' | 'reporter' | 'signal'>,
): Promise<CheckRegionResult> {
  const azure = await deps.azure();
  const provider = await readAciProvider(deps);
  const registrationState = provider.registrationState ?? 'Unknown';
  const displayNames = providerRegions(provider);
  const known = [...displayNames.keys()].sort();
  const locations = options.all ? known : resolveRegions(options.locations, known);
  const shared: Partial<Facts> = { aciProvider: provider, subscriptionId: azure.subscriptionId, podSize: options.size };
  const checks = await runChecks(providerChecks, createFactsContext({}, shared));
  const base = {
    subscriptionId: azure.subscriptionId,
    provider: { namespace: ACI_NAMESPACE, registrationState },
    checks,
  };
  const request = options.size ? { request: options.size } : {};
  if (checks.some((c) => c.status !== 'pass'))
    return { ...base, ...request, regions: [], usable: [], passed: false, calls: { ...azure.calls } };

  const limit = adaptiveLimit({ initial: Math.max(1, options.concurrency), max: 128 });
  let done = 0;
  const regions = await deps.reporter.step(
    `Checking ${locations.length} region${locations.length === 1 ? '' : 's'}`,
    (update) =>
      Promise.all(
        locations.map(async (location) => {
          const ctx = createFactsContext(regionLoaders(azure, location, { limit, signal: deps.signal }), {
            ...shared,
            region: location,
          });
          try {
            const failed = await Promise.all([ctx.get('regionCapabilities'), ctx.get('regionUsages')]).then(
              () => undefined,
              (error: unknown) => ({ error }),
            );
            if (failed) {
              // One region Azure would not describe must not hide the others: it is `error` (could not check).
              const { error } = failed;
              if (options.all && isVnodesError(error) && error.exitCode !== ExitCode.interrupted)
                return unreadable(location, displayNames.get(location), error);
              throw error;
            }
            return await reportRegion(ctx, location, displayNames.get(location));
          } finally {
            update(`${++done}/${locations.length}`);
          }
        }),
      ),
  );
  const usable = regions.filter((r) => r.vnet && r.fits !== false && r.status !== 'fail').map((r) => r.location);
  const passed = options.all ? usable.length > 0 : usable.length === regions.length;
  return { ...base, ...request, regions, usable, passed, calls: { ...azure.calls } };
}

function unreadable(location: string, displayName: string | undefined, error: VnodesError): RegionReport {
  return {
    location,
    ...(displayName ? { displayName } : {}),
    linux: false,
    vnet: false,
    gpuSkus: [],
    quota: {},
    status: 'error',
    checks: [
      {
        id: 'region.read',
        title: 'ACI capabilities and usages could be read',
        area: 'region',
        status: 'error',
        summary: `Could not read ACI capabilities or usages: ${error.message}`,
        evidence: [],
        target: location,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      },
    ],
  };
}
