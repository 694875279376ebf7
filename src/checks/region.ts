// Region checks: the ACI resource provider, then per region what ACI offers there (Linux, VNet, GPU), its quotas and
// whether the asked-for pod size fits. The per-region ones run once per region with the region as `target`.
import { defineCheck, type AnyCheck, type Outcome } from './engine.js';
import type { CheckStatus, Evidence } from './model.js';
import { ACI_GPU_RETIREMENT, podFits, quota, regionOffer, type Quota } from '../region/capabilities.js';
import { normalizeRegion } from '../region/names.js';

/** The resource provider behind container groups. */
export const ACI_NAMESPACE = 'Microsoft.ContainerInstance';

const outcome = (status: CheckStatus, summary: string, evidence: Evidence[], remediation?: string): Outcome => ({
  status,
  summary,
  evidence,
  ...(remediation ? { remediation } : {}),
});
const capField = (location: string) => `locations/${location}/capabilities`;

const providerRegistered = defineCheck({
  id: 'region.provider-registered',
  title: `${ACI_NAMESPACE} resource provider registered`,
  area: 'region',
  tags: ['region', 'provider'],
  facts: ['aciProvider', 'subscriptionId'],
  run({ aciProvider, subscriptionId }) {
    const state = aciProvider.registrationState ?? 'Unknown';
    const evidence = [{ field: `providers/${ACI_NAMESPACE}.registrationState`, value: state }];
    if (state.toLowerCase() === 'registered')
      return outcome('pass', `${ACI_NAMESPACE} is registered in subscription ${subscriptionId}.`, evidence);
    return outcome(
      'fail',
      `${ACI_NAMESPACE} is ${state} in subscription ${subscriptionId}: ACI calls fail until it is Registered.`,
      evidence,
      `az provider register --namespace ${ACI_NAMESPACE} --wait`,
    );
  },
});

/** The regions the provider lists for container groups, ARM-named, with their display names. */
export function providerRegions(provider: { resourceTypes?: { resourceType?: string; locations?: string[] }[] }) {
  const groups = provider.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === 'containergroups');
  return new Map((groups?.locations ?? []).map((l) => [normalizeRegion(l), l]));
}

const aciAvailable = defineCheck({
  id: 'region.aci-available',
  title: 'ACI offers container groups in the cluster region',
  area: 'region',
  tags: ['region', 'preflight'],
  requires: ['region.provider-registered'],
  facts: ['aciProvider', 'region'],
  run({ aciProvider, region }) {
    const evidence = [{ field: 'properties.location', value: region }];
    if (providerRegions(aciProvider).has(normalizeRegion(region)))
      return outcome('pass', `Azure Container Instances is offered in ${region}.`, evidence);
    return outcome(
      'fail',
      `Azure Container Instances is not offered in ${region}, the cluster's region.`,
      evidence,
      'Virtual nodes need ACI in the cluster region: vnodes check-region --all lists where it is.',
    );
  },
});

const REGIONAL = ['region', 'per-region'];
const requires = ['region.aci-available'];

const linux = defineCheck({
  id: 'region.aci-linux',
  title: 'ACI runs Linux container groups',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['region', 'regionCapabilities'],
  run({ region, regionCapabilities }) {
    const rows = regionOffer(regionCapabilities).linuxRows.length;
    const evidence = [{ field: `${capField(region)}[resourceType=containerGroups,osType=Linux]`, value: rows }];
    if (rows) return outcome('pass', 'Linux container groups are offered.', evidence);
    return outcome(
      'fail',
      `ACI offers no Linux container groups in ${region}.`,
      evidence,
      'Pick another region: vnodes check-region --all lists those that work.',
    );
  },
});

const vnet = defineCheck({
  id: 'region.vnet',
  title: 'ACI supports VNet (private IP) deployment',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['region', 'regionCapabilities'],
  run({ region, regionCapabilities }) {
    const offer = regionOffer(regionCapabilities);
    const types = [...new Set(offer.linuxRows.map((r) => r.ipAddressType))].join(',') || 'none';
    const evidence = [{ field: `${capField(region)}[ipAddressType]`, value: types }];
    if (offer.vnetRows.length)
      return outcome('pass', 'Container groups can join a VNet subnet (ipAddressType Private).', evidence);
    return outcome(
      'fail',
      `ACI in ${region} offers only public IPs: virtual nodes need VNet deployment.`,
      evidence,
      'Create the cluster in a region where ACI supports VNet: vnodes check-region --all.',
    );
  },
});

const gpu = defineCheck({
  id: 'region.gpu',
  title: 'GPU container groups',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['region', 'regionCapabilities'],
  applies: ({ regionCapabilities }) => regionOffer(regionCapabilities).gpuSkus.length > 0,
  run({ region, regionCapabilities }) {
    const skus = regionOffer(regionCapabilities).gpuSkus.join(', ');
    // Informational: virtual nodes never needed GPU, so its absence or retirement fails nothing.
    return outcome(
      'skip',
      `ACI lists GPU SKUs ${skus} here, but ACI GPU was retired on ${ACI_GPU_RETIREMENT} and never worked with VNet: virtual-node pods cannot use them.`,
      [{ field: `${capField(region)}[gpu]`, value: skus.replace(/, /g, ',') }],
      'Run GPU pods on an AKS GPU node pool instead of the virtual node.',
    );
  },
});

function quotaOutcome(location: string, usageName: string, q: Quota | undefined, need: number): Outcome {
  const field = `locations/${location}/usages[${usageName}]`;
  if (!q) return outcome('skip', `ACI reports no ${usageName} usage here.`, [{ field, value: null }]);
  const evidence = [{ field, value: `${q.used}/${q.limit}` }];
  const fix = `Free some, or request more ${usageName} quota for ACI in ${location} (Azure portal → Quotas → Azure Container Instances).`;
  if (q.headroom < need)
    return outcome('fail', `${q.used} of ${q.limit} ${usageName} used: no room for ${need} more.`, evidence, fix);
  if (q.headroom < Math.max(need, q.limit * 0.1))
    return outcome('warn', `${q.used} of ${q.limit} ${usageName} used: little headroom.`, evidence, fix);
  return outcome('pass', `${q.headroom} of ${q.limit} ${usageName} free.`, evidence);
}

const quotaGroups = defineCheck({
  id: 'region.quota-container-groups',
  title: 'Container group quota',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['region', 'regionUsages'],
  run: ({ region, regionUsages }) => quotaOutcome(region, 'ContainerGroups', quota(regionUsages, 'ContainerGroups'), 1),
});

const quotaCores = defineCheck({
  id: 'region.quota-cores',
  title: 'Standard cores quota',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['region', 'regionUsages', 'podSize'],
  run: ({ region, regionUsages, podSize }) =>
    quotaOutcome(region, 'StandardCores', quota(regionUsages, 'StandardCores'), podSize?.cpu ?? 1),
});

const podSize = defineCheck({
  id: 'region.pod-size',
  title: 'Requested pod size fits',
  area: 'region',
  tags: REGIONAL,
  requires,
  facts: ['regionCapabilities', 'regionUsages', 'podSize'],
  applies: ({ podSize }) => podSize !== undefined,
  run({ regionCapabilities, regionUsages, podSize }) {
    const size = podSize!;
    const offer = regionOffer(regionCapabilities);
    const { fits, why } = podFits(offer, regionUsages, size);
    const evidence = [
      { field: 'maxCpu', value: offer.maxCpu ?? null },
      { field: 'maxMemoryInGB', value: offer.maxMemoryInGB ?? null },
    ];
    if (fits)
      return outcome(
        'pass',
        `${size.cpu} vCPU / ${size.memoryGB} GB fits (max ${offer.maxCpu} vCPU / ${offer.maxMemoryInGB} GB).`,
        evidence,
      );
    return outcome(
      'fail',
      `${size.cpu} vCPU / ${size.memoryGB} GB does not fit: ${why.join('; ')}.`,
      evidence,
      'Lower the pod requests/limits, or pick a region that fits: vnodes check-region --all --cpu N --memory GB.',
    );
  },
});

/** The subscription-wide region check. */
export const providerChecks: AnyCheck[] = [providerRegistered];
/** Checks run once per region, `target` the region; region.aci-available only where the region is not vetted yet. */
export const perRegionChecks: AnyCheck[] = [aciAvailable, linux, vnet, gpu, quotaGroups, quotaCores, podSize];
