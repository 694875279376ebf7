// What ACI says about one region, derived from its capability and usage rows (pure; the reads are in src/azure/aci.ts).

/** One row of ACI's `locations/{l}/capabilities`. */
export interface CapabilityRow {
  resourceType?: string;
  osType?: string;
  location?: string;
  ipAddressType?: string;
  gpu?: string;
  capabilities?: { maxMemoryInGB?: number; maxCpu?: number; maxGpuCount?: number };
}

/** One row of ACI's `locations/{l}/usages`. */
export interface UsageRow {
  name?: { value?: string; localizedValue?: string };
  currentValue?: number;
  limit?: number;
  unit?: string;
}

/** The pod size the user wants to fit, in vCPU and GB. */
export interface PodSize {
  cpu: number;
  memoryGB: number;
}

/** A quota's use and limit; headroom is what is left. */
export interface Quota {
  used: number;
  limit: number;
  headroom: number;
}

/** ACI stopped offering GPU container groups on this date (and never offered them with VNet). */
export const ACI_GPU_RETIREMENT = '2025-07-14';

const eq = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** What the capability rows offer virtual nodes: Linux, VNet (private IP) SKUs and their limits, GPU SKUs. */
export interface RegionOffer {
  linuxRows: CapabilityRow[];
  /** Linux, private IP, no GPU: the SKU a virtual-node pod gets. */
  vnetRows: CapabilityRow[];
  maxCpu?: number;
  maxMemoryInGB?: number;
  gpuSkus: string[];
}

const offers = new WeakMap<readonly CapabilityRow[], RegionOffer>();

/** Reads the rows (once per list: every region check asks); VNet pods never get a GPU, so the limits that matter are those of the non-GPU private SKU. */
export function regionOffer(capabilities: readonly CapabilityRow[]): RegionOffer {
  let offer = offers.get(capabilities);
  if (!offer) offers.set(capabilities, (offer = readOffer(capabilities)));
  return offer;
}

function readOffer(capabilities: readonly CapabilityRow[]): RegionOffer {
  const linuxRows = capabilities.filter((r) => eq(r.resourceType, 'containerGroups') && eq(r.osType, 'Linux'));
  const vnetRows = linuxRows.filter((r) => eq(r.ipAddressType, 'Private') && (!r.gpu || eq(r.gpu, 'None')));
  const best = (key: 'maxCpu' | 'maxMemoryInGB') =>
    vnetRows.reduce<number | undefined>((m, r) => Math.max(m ?? 0, r.capabilities?.[key] ?? 0) || m, undefined);
  const maxCpu = best('maxCpu');
  const maxMemoryInGB = best('maxMemoryInGB');
  const gpuSkus = [...new Set(capabilities.map((r) => r.gpu ?? 'None').filter((g) => !eq(g, 'None')))].sort();
  return {
    linuxRows,
    vnetRows,
    ...(maxCpu !== undefined ? { maxCpu } : {}),
    ...(maxMemoryInGB !== undefined ? { maxMemoryInGB } : {}),
    gpuSkus,
  };
}

/** A quota row by name (`ContainerGroups`, `StandardCores`), or undefined when ACI reports none or no limit. */
export function quota(rows: readonly UsageRow[], name: string): Quota | undefined {
  const row = rows.find((r) => eq(r.name?.value, name));
  if (!row || row.limit === undefined) return undefined;
  const used = row.currentValue ?? 0;
  return { used, limit: row.limit, headroom: Math.max(0, row.limit - used) };
}

/** Whether a pod of `size` fits, and why not. */
export function podFits(
  offer: RegionOffer,
  usages: readonly UsageRow[],
  size: PodSize,
): { fits: boolean; why: string[] } {
  const { maxCpu, maxMemoryInGB } = offer;
  const vnet = offer.vnetRows.length > 0;
  const cpuOk = maxCpu !== undefined && size.cpu <= maxCpu;
  const memOk = maxMemoryInGB !== undefined && size.memoryGB <= maxMemoryInGB;
  const groups = quota(usages, 'ContainerGroups');
  const cores = quota(usages, 'StandardCores');
  const quotaOk = (groups?.headroom ?? 1) >= 1 && (cores?.headroom ?? Infinity) >= size.cpu;
  const why = [
    !vnet && 'no VNet SKU',
    vnet && !cpuOk && `${size.cpu} vCPU is over the ${maxCpu ?? 0} vCPU maximum`,
    vnet && !memOk && `${size.memoryGB} GB is over the ${maxMemoryInGB ?? 0} GB maximum`,
    !quotaOk && 'not enough quota left',
  ].filter((w): w is string => Boolean(w));
  return { fits: vnet && cpuOk && memOk && quotaOk, why };
}
