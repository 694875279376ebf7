import type { CheckResult, CheckStatus } from '../checks/model.js';
import { worstStatus } from '../checks/model.js';

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

/** ACI stopped offering GPU container groups on this date (and never offered them with VNet). */
export const ACI_GPU_RETIREMENT = '2025-07-14';

const isLinuxGroups = (r: CapabilityRow) => eq(r.resourceType, 'containerGroups') && eq(r.osType, 'Linux');
function eq(a: string | undefined, b: string): boolean {
  return (a ?? '').toLowerCase() === b.toLowerCase();
}

function quota(rows: readonly UsageRow[], name: string): Quota | undefined {
  const row = rows.find((r) => eq(r.name?.value, name));
  if (!row || row.limit === undefined) return undefined;
  const used = row.currentValue ?? 0;
  return { used, limit: row.limit, headroom: Math.max(0, row.limit - used) };
}

/** Judges one region from its capability and usage rows; pure, so every rule is unit-tested. */
export function evaluateRegion(input: {
  location: string;
  displayName?: string;
  capabilities: readonly CapabilityRow[];
  usages: readonly UsageRow[];
  size?: PodSize;
}): RegionReport {
  const { location, size } = input;
  const linuxRows = input.capabilities.filter(isLinuxGroups);
  const privateRows = linuxRows.filter((r) => eq(r.ipAddressType, 'Private'));
  // VNet pods never get a GPU, so the limits that matter are those of the non-GPU private SKU.
  const vnetRows = privateRows.filter((r) => !r.gpu || eq(r.gpu, 'None'));
  const best = (rows: CapabilityRow[], key: 'maxCpu' | 'maxMemoryInGB') =>
    rows.reduce<number | undefined>((m, r) => Math.max(m ?? 0, r.capabilities?.[key] ?? 0) || m, undefined);
  const maxCpu = best(vnetRows, 'maxCpu');
  const maxMemoryInGB = best(vnetRows, 'maxMemoryInGB');
  const gpuSkus = [...new Set(input.capabilities.map((r) => r.gpu ?? 'None').filter((g) => !eq(g, 'None')))].sort();
  const containerGroups = quota(input.usages, 'ContainerGroups');
  const standardCores = quota(input.usages, 'StandardCores');

  const checks: CheckResult[] = [];
  const add = (
    id: string,
    title: string,
    status: CheckStatus,
    summary: string,
    evidence: CheckResult['evidence'],
    remediation?: string,
  ) => checks.push({ id, title, status, summary, evidence, target: location, ...(remediation ? { remediation } : {}) });
  const capField = `locations/${location}/capabilities`;

  add(
    'region.aci-linux',
    'ACI runs Linux container groups',
    linuxRows.length ? 'pass' : 'fail',
    linuxRows.length ? 'Linux container groups are offered.' : `ACI offers no Linux container groups in ${location}.`,
    [{ field: `${capField}[resourceType=containerGroups,osType=Linux]`, value: linuxRows.length }],
    linuxRows.length ? undefined : 'Pick another region: vnodes check-region --all lists those that work.',
  );
  add(
    'region.vnet',
    'ACI supports VNet (private IP) deployment',
    vnetRows.length ? 'pass' : 'fail',
    vnetRows.length
      ? 'Container groups can join a VNet subnet (ipAddressType Private).'
      : `ACI in ${location} offers only public IPs: virtual nodes need VNet deployment.`,
    [
      {
        field: `${capField}[ipAddressType]`,
        value: [...new Set(linuxRows.map((r) => r.ipAddressType))].join(',') || 'none',
      },
    ],
    vnetRows.length ? undefined : 'Create the cluster in a region where ACI supports VNet: vnodes check-region --all.',
  );
  if (gpuSkus.length) {
    add(
      'region.gpu',
      'GPU container groups',
      // Informational: virtual nodes never needed GPU, so its absence or retirement fails nothing.
      'skip',
      `ACI lists GPU SKUs ${gpuSkus.join(', ')} here, but ACI GPU was retired on ${ACI_GPU_RETIREMENT} and never worked with VNet: virtual-node pods cannot use them.`,
      [{ field: `${capField}[gpu]`, value: gpuSkus.join(',') }],
      'Run GPU pods on an AKS GPU node pool instead of the virtual node.',
    );
  }
  addQuota(
    add,
    location,
    'region.quota-container-groups',
    'Container group quota',
    'ContainerGroups',
    containerGroups,
    1,
  );
  addQuota(add, location, 'region.quota-cores', 'Standard cores quota', 'StandardCores', standardCores, size?.cpu ?? 1);

  let fits: boolean | undefined;
  if (size) {
    const cpuOk = maxCpu !== undefined && size.cpu <= maxCpu;
    const memOk = maxMemoryInGB !== undefined && size.memoryGB <= maxMemoryInGB;
    const quotaOk = (containerGroups?.headroom ?? 1) >= 1 && (standardCores?.headroom ?? Infinity) >= size.cpu;
    fits = vnetRows.length > 0 && cpuOk && memOk && quotaOk;
    const why = [
      !vnetRows.length && 'no VNet SKU',
      vnetRows.length && !cpuOk && `${size.cpu} vCPU is over the ${maxCpu ?? 0} vCPU maximum`,
      vnetRows.length && !memOk && `${size.memoryGB} GB is over the ${maxMemoryInGB ?? 0} GB maximum`,
      !quotaOk && 'not enough quota left',
    ].filter(Boolean);
    add(
      'region.pod-size',
      'Requested pod size fits',
      fits ? 'pass' : 'fail',
      fits
        ? `${size.cpu} vCPU / ${size.memoryGB} GB fits (max ${maxCpu} vCPU / ${maxMemoryInGB} GB).`
        : `${size.cpu} vCPU / ${size.memoryGB} GB does not fit: ${why.join('; ')}.`,
      [
        { field: 'maxCpu', value: maxCpu ?? null },
        { field: 'maxMemoryInGB', value: maxMemoryInGB ?? null },
      ],
      fits
        ? undefined
        : 'Lower the pod requests/limits, or pick a region that fits: vnodes check-region --all --cpu N --memory GB.',
    );
  }
  return {
    location,
    ...(input.displayName ? { displayName: input.displayName } : {}),
    linux: linuxRows.length > 0,
    vnet: vnetRows.length > 0,
    ...(maxCpu !== undefined ? { maxCpu } : {}),
    ...(maxMemoryInGB !== undefined ? { maxMemoryInGB } : {}),
    gpuSkus,
    quota: { ...(containerGroups ? { containerGroups } : {}), ...(standardCores ? { standardCores } : {}) },
    ...(fits !== undefined ? { fits } : {}),
    status: worstStatus(checks),
    checks,
  };
}

function addQuota(
  add: (
    id: string,
    title: string,
    status: CheckStatus,
    summary: string,
    evidence: CheckResult['evidence'],
    remediation?: string,
  ) => void,
  location: string,
  id: string,
  title: string,
  usageName: string,
  q: Quota | undefined,
  need: number,
): void {
  const field = `locations/${location}/usages[${usageName}]`;
  if (!q) {
    add(id, title, 'skip', `ACI reports no ${usageName} usage here.`, [{ field, value: null }]);
    return;
  }
  const evidence = [{ field, value: `${q.used}/${q.limit}` }];
  const fix = `Free some, or request more ${usageName} quota for ACI in ${location} (Azure portal → Quotas → Azure Container Instances).`;
  if (q.headroom < need)
    add(id, title, 'fail', `${q.used} of ${q.limit} ${usageName} used: no room for ${need} more.`, evidence, fix);
  else if (q.headroom < Math.max(need, q.limit * 0.1))
    add(id, title, 'warn', `${q.used} of ${q.limit} ${usageName} used: little headroom.`, evidence, fix);
  else add(id, title, 'pass', `${q.headroom} of ${q.limit} ${usageName} free.`, evidence);
}
