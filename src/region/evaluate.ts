// One region's report: the per-region checks of the registry run over its capability and usage rows, plus the
// figures the table shows.
import { runChecks } from '../checks/engine.js';
import { createFactsContext, type FactsContext } from '../checks/facts.js';
import { worstStatus, type CheckResult, type CheckStatus } from '../checks/model.js';
import { checksWhere } from '../checks/registry.js';
import { quota, regionOffer, type CapabilityRow, type PodSize, type Quota, type UsageRow } from './capabilities.js';

export { ACI_GPU_RETIREMENT, type CapabilityRow, type PodSize, type UsageRow } from './capabilities.js';

/** What vnodes found for one region. */
export interface RegionReport {
  location: string;
  displayName?: string;
  linux: boolean;
  vnet: boolean;
  maxCpu?: number;
  maxMemoryInGB?: number;
  gpuSkus: string[];
  quota: { containerGroups?: Quota; standardCores?: Quota };
  /** Whether the requested pod size fits; undefined when no size was asked for. */
  fits?: boolean;
  status: CheckStatus;
  checks: CheckResult[];
}

/** The checks one region gets in check-region (its name was vetted against the provider's list already). */
const REGION_CHECKS = checksWhere({ tag: 'per-region' }).filter((c) => c.id !== 'region.aci-available');

/** Runs the region checks over a context whose capability and usage facts are readable, and builds the report. */
export async function reportRegion(
  ctx: FactsContext,
  location: string,
  displayName: string | undefined,
): Promise<RegionReport> {
  const [checks, capabilities, usages, size] = await Promise.all([
    runChecks(REGION_CHECKS, ctx, { target: location }),
    ctx.get('regionCapabilities'),
    ctx.get('regionUsages'),
    ctx.get('podSize'),
  ]);
  const offer = regionOffer(capabilities);
  const containerGroups = quota(usages, 'ContainerGroups');
  const standardCores = quota(usages, 'StandardCores');
  const fitting = checks.find((c) => c.id === 'region.pod-size');
  return {
    location,
    ...(displayName ? { displayName } : {}),
    linux: offer.linuxRows.length > 0,
    vnet: offer.vnetRows.length > 0,
    ...(offer.maxCpu !== undefined ? { maxCpu: offer.maxCpu } : {}),
    ...(offer.maxMemoryInGB !== undefined ? { maxMemoryInGB: offer.maxMemoryInGB } : {}),
    gpuSkus: offer.gpuSkus,
    quota: { ...(containerGroups ? { containerGroups } : {}), ...(standardCores ? { standardCores } : {}) },
    ...(size && fitting ? { fits: fitting.status === 'pass' } : {}),
    status: worstStatus(checks),
    checks,
  };
}

/** Judges one region from rows already read; the rules themselves are the registry's region checks. */
export function evaluateRegion(input: {
  location: string;
  displayName?: string;
  capabilities: readonly CapabilityRow[];
  usages: readonly UsageRow[];
  size?: PodSize;
}): Promise<RegionReport> {
  const ctx = createFactsContext(
    {},
    {
      region: input.location,
      regionCapabilities: [...input.capabilities],
      regionUsages: [...input.usages],
      podSize: input.size,
    },
  );
  return reportRegion(ctx, input.location, input.displayName);
}
