import type { Provider } from '@azure/arm-resources';
import pLimit from 'p-limit';
import type { CheckResult } from '../checks/model.js';
import type { Deps } from '../deps.js';
import { armCall } from '../azure/arm-errors.js';
import { ExitCode, isVnodesError, type VnodesError } from '../errors.js';
import { evaluateRegion, type CapabilityRow, type PodSize, type RegionReport, type UsageRow } from './evaluate.js';
import { normalizeRegion, resolveRegions } from './names.js';

/** Options of `vnodes check-region`, as plain data. */
export interface CheckRegionOptions {
  locations: string[];
  all: boolean;
  size?: PodSize;
  /** How many regions are queried at once with --all. */
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
}

const NAMESPACE = 'Microsoft.ContainerInstance';

/** The ACI resource provider: its registration and the regions it lists. */
export async function readAciProvider(deps: Pick<Deps, 'azure' | 'reporter'>): Promise<Provider> {
  const resources = await (await deps.azure()).resources();
  return deps.reporter.step(`Reading resource provider ${NAMESPACE}`, () =>
    armCall(`reading resource provider ${NAMESPACE}`, () => resources.providers.get(NAMESPACE)),
  );
}

/**
 * Reads provider registration (unless the caller already has it), then capabilities and usages of each region, in
 * parallel with bounded concurrency.
 */
export async function checkRegion(
  options: CheckRegionOptions,
  deps: Pick<Deps, 'azure' | 'reporter'>,
  knownProvider?: Provider,
): Promise<CheckRegionResult> {
  const azure = await deps.azure();
  const provider = knownProvider ?? (await readAciProvider(deps));
  const registrationState = provider.registrationState ?? 'Unknown';
  const groupsType = provider.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === 'containergroups');
  const displayNames = new Map((groupsType?.locations ?? []).map((l) => [normalizeRegion(l), l]));
  const known = [...displayNames.keys()].sort();

  const locations = options.all ? known : resolveRegions(options.locations, known);
  const registered = registrationState.toLowerCase() === 'registered';
  const providerCheck: CheckResult = {
    id: 'region.provider-registered',
    title: `${NAMESPACE} resource provider registered`,
    status: registered ? 'pass' : 'fail',
    summary: registered
      ? `${NAMESPACE} is registered in subscription ${azure.subscriptionId}.`
      : `${NAMESPACE} is ${registrationState} in subscription ${azure.subscriptionId}: ACI calls fail until it is Registered.`,
    evidence: [{ field: `providers/${NAMESPACE}.registrationState`, value: registrationState }],
    ...(registered ? {} : { remediation: `az provider register --namespace ${NAMESPACE} --wait` }),
  };
  const base = {
    subscriptionId: azure.subscriptionId,
    provider: { namespace: NAMESPACE, registrationState },
    checks: [providerCheck],
  };
  const request = options.size ? { request: options.size } : {};
  if (!registered) return { ...base, ...request, regions: [], usable: [], passed: false };

  const aci = await azure.containerInstance();
  const limit = pLimit(options.concurrency);
  let done = 0;
  const regions = await deps.reporter.step(
    `Checking ${locations.length} region${locations.length === 1 ? '' : 's'}`,
    (update) =>
      Promise.all(
        locations.map((location) =>
          limit(async () => {
            try {
              const [capabilities, usages] = await Promise.all([
                collect<CapabilityRow>(`listing ACI capabilities in ${location}`, () =>
                  aci.location.listCapabilities(location),
                ),
                collect<UsageRow>(`listing ACI usages in ${location}`, () => aci.location.listUsage(location)),
              ]);
              return evaluateRegion({
                location,
                displayName: displayNames.get(location),
                capabilities,
                usages,
                size: options.size,
              });
            } catch (error) {
              // One region Azure would not describe must not hide the others: it is `error` (could not check).
              if (options.all && isVnodesError(error) && error.exitCode !== ExitCode.interrupted)
                return unreadable(location, displayNames.get(location), error);
              throw error;
            } finally {
              update(`${++done}/${locations.length}`);
            }
          }),
        ),
      ),
  );
  const usable = regions.filter((r) => r.vnet && r.fits !== false && r.status !== 'fail').map((r) => r.location);
  const passed = options.all ? usable.length > 0 : usable.length === regions.length;
  return { ...base, ...request, regions, usable, passed };
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
        status: 'error',
        summary: `Could not read ACI capabilities or usages: ${error.message}`,
        evidence: [],
        target: location,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      },
    ],
  };
}

async function collect<T>(what: string, list: () => AsyncIterable<T>): Promise<T[]> {
  return armCall(what, async () => {
    const out: T[] = [];
    for await (const item of list()) out.push(item);
    return out;
  });
}
