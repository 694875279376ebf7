// pain.md §3.3: resources. ACI sizes a container group from its containers' requests.
import { containersOf, list, obj, type ContainerAt } from '../pod.js';
import { GIB, parseQuantity } from '../quantity.js';
import type { Hit, Obj, PodRule } from '../types.js';
import { hit, specAt } from './util.js';

/** What azure-aci uses for a container without a request: 1 vCPU and 1.5 GB (`cpuRequest := 1.00`, `memoryRequest := 1.50`). */
const DEFAULT_REQUEST = { cpu: 1, memory: 1.5e9 } as const;
type Res = keyof typeof DEFAULT_REQUEST;
const RESOURCES: Res[] = ['cpu', 'memory'];
const KNOWN = new Set(['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu']);

const requests = (c: Obj): Obj => obj(obj(c.resources).requests);
const limits = (c: Obj): Obj => obj(obj(c.resources).limits);

/** The request the provider sizes with: the request, else the limit (the apiserver defaults one to the other), else ACI's default. */
const effectiveRequest = (c: Obj, r: Res): number =>
  parseQuantity(requests(c)[r]) ?? parseQuantity(limits(c)[r]) ?? DEFAULT_REQUEST[r];

const total = (cs: ContainerAt[], r: Res): number =>
  cs.reduce((sum, { container }) => sum + effectiveRequest(container, r), 0);

const show = (r: Res, v: number): string => (r === 'cpu' ? `${+v.toFixed(3)} vCPU` : `${+(v / GIB).toFixed(2)} GiB`);

/** A size limit rule: the group's total requests against ACI's thresholds. */
function totalRule(
  id: string,
  cpu: number,
  memGib: number,
  severity: 'warn' | 'fail',
  text: { title: string; help: string; evidence: string; why: string; fix: string },
): PodRule {
  return {
    id,
    title: text.title,
    severity: { v1: severity, v2: severity },
    help: text.help,
    evidence: text.evidence,
    check(spec, ctx) {
      const main = containersOf(spec, 'main');
      if (main.length === 0) return [];
      const c = total(main, 'cpu');
      const m = total(main, 'memory');
      if (c <= cpu && m <= memGib * GIB) return [];
      return [
        hit(
          specAt(ctx, 'containers'),
          `The containers request ${show('cpu', c)} and ${show('memory', m)} in total (over ${cpu} vCPU or ${memGib} GiB): ${text.why}`,
          text.fix,
        ),
      ];
    },
  };
}

export const resourceRules: PodRule[] = [
  {
    id: 'LNT-RES-001',
    title: 'Container without CPU or memory request',
    severity: { v1: 'warn' },
    help: 'A container without requests (and without limits, which the apiserver copies into requests) is sized at 1 vCPU and 1.5 GB on ACI, which counts against quota and the bill. ACI rounds CPU to 0.01 vCPU and memory to 0.1 GB.',
    evidence: 'azure-aci (cpuRequest := 1.00, memoryRequest := 1.50)',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec, 'main')) {
        const missing = RESOURCES.filter((r) => requests(c)[r] === undefined && limits(c)[r] === undefined);
        if (missing.length)
          out.push(
            hit(
              specAt(ctx, ...path, ...(c.resources !== undefined ? ['resources'] : [])),
              `Container ${name} has no ${missing.join(' or ')} request; ACI sizes it at ${missing.map((r) => (r === 'cpu' ? '1 vCPU' : '1.5 GB')).join(' and ')}.`,
              `Set resources.requests.${missing.join(' and resources.requests.')} to what the container needs.`,
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'LNT-RES-002',
    title: "A limit above the pod's total requests",
    severity: { v1: 'fail' },
    help: 'ACI rejects a container whose limit is greater than the total request of its container group (ContainerLimitGreaterThanContainerGroupTotalRequest). Sidecars with small requests and large limits trip it.',
    evidence: 'MicrosoftDocs/azure-docs#29780, #78032; virtual-kubelet/virtual-kubelet#153',
    check(spec, ctx) {
      const main = containersOf(spec, 'main');
      const out: Hit[] = [];
      for (const r of RESOURCES) {
        const sum = total(main, r);
        for (const { container: c, path, name } of main) {
          const limit = parseQuantity(limits(c)[r]);
          if (limit !== undefined && limit > sum + 1e-9)
            out.push(
              hit(
                specAt(ctx, ...path, 'resources', 'limits', r),
                `The ${r} limit of container ${name} (${show(r, limit)}) is greater than the pod's total ${r} request (${show(r, sum)}); ACI rejects it with ContainerLimitGreaterThanContainerGroupTotalRequest.`,
                `Set limits.${r} at most to the pod's total requests; simplest: limits equal to requests.`,
              ),
            );
        }
      }
      return out;
    },
  },
  totalRule('LNT-RES-003', 4, 16, 'warn', {
    title: 'Big container group (over 4 vCPU or 16 GiB)',
    help: 'Container groups above 4 vCPU or 16 GB are "big container groups": they may fail with ServiceUnavailable ("not available in the location") unless capacity or quota was granted.',
    evidence: 'ACI service-unavailable support article; ACI quota doc',
    why: 'a big container group, which may fail with ServiceUnavailable unless capacity was granted.',
    fix: 'Lower the requests, or request big container group capacity for the region from Azure support.',
  }),
  totalRule('LNT-RES-004', 31, 240, 'fail', {
    title: 'Over the ACI container group maximum',
    help: 'An ACI container group holds at most 31 vCPU and 240 GB in total.',
    evidence: 'ACI quota doc (2025-11)',
    why: 'more than one ACI container group can hold.',
    fix: 'Split the pod, lower the requests, or run it on a VM node pool.',
  }),
  {
    id: 'LNT-RES-005',
    title: 'GPU requested',
    severity: { v1: 'fail', v2: 'fail' },
    help: 'ACI GPU containers were retired on July 14, 2025 and were never available in a virtual network.',
    evidence: 'ACI quota doc; MicrosoftDocs/azure-docs#51860; azure-aci GPU errors',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec))
        for (const part of ['limits', 'requests'] as const) {
          const v = obj(obj(c.resources)[part]);
          if (v['nvidia.com/gpu'] !== undefined) {
            out.push(
              hit(
                specAt(ctx, ...path, 'resources', part, 'nvidia.com/gpu'),
                `Container ${name} asks for nvidia.com/gpu; ACI GPU is retired (July 14, 2025) and never worked in a VNet.`,
                'Run GPU workloads on a GPU node pool.',
              ),
            );
            break;
          }
        }
      return out;
    },
  },
  {
    id: 'LNT-RES-006',
    title: 'Hugepages, large ephemeral storage or extended resources',
    severity: { v1: 'warn', v2: 'warn' },
    help: 'hugepages and extended resources are not translated to ACI, and an ACI container group has 50 GB of storage.',
    evidence: 'ACI quota doc; azure-aci',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec))
        for (const part of ['requests', 'limits'] as const)
          for (const [key, value] of Object.entries(obj(obj(c.resources)[part]))) {
            const where = specAt(ctx, ...path, 'resources', part, key);
            if (key === 'ephemeral-storage') {
              const bytes = parseQuantity(value);
              if (bytes !== undefined && bytes > 50 * GIB)
                out.push(
                  hit(
                    where,
                    `Container ${name} asks for ${String(value)} of ephemeral storage; an ACI container group has 50 GB.`,
                    'Ask for at most 50Gi, or mount an Azure Files share for the data.',
                  ),
                );
            } else if (!KNOWN.has(key))
              out.push(
                hit(
                  where,
                  `${key} (container ${name}) is not translated to ACI.`,
                  `Remove ${key}, or run this workload on a node pool that offers it.`,
                ),
              );
          }
      return out;
    },
  },
  {
    id: 'LNT-RES-007',
    title: 'Over 60 containers or 20 volumes',
    severity: { v1: 'fail', v2: 'fail' },
    help: 'An ACI container group holds at most 60 containers and 20 volumes.',
    evidence: 'ACI quota doc',
    check(spec, ctx) {
      const out: Hit[] = [];
      const containers = list(spec.containers).length;
      const volumes = list(spec.volumes).length;
      if (containers > 60)
        out.push(
          hit(
            specAt(ctx, 'containers'),
            `The pod has ${containers} containers; an ACI container group holds at most 60.`,
            'Split the pod.',
          ),
        );
      if (volumes > 20)
        out.push(
          hit(
            specAt(ctx, 'volumes'),
            `The pod has ${volumes} volumes; an ACI container group holds at most 20.`,
            'Merge volumes (a projected volume can combine secrets and config maps), or split the pod.',
          ),
        );
      return out;
    },
  },
];
