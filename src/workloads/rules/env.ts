// pain.md §3.4: environment and the downward API.
import { containersOf, list, obj } from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { hit, specAt } from './util.js';

const UNSUPPORTED_FIELDS = new Set(['status.podIP', 'status.podIPs', 'status.hostIP', 'status.hostIPs']);
/** ACI's environment variable names: letters, digits and _, not starting or ending with _, at most 63 characters. */
const ACI_ENV_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_]{0,61}[A-Za-z0-9])?$/;

/** Each env entry of each container, with its path. */
function envEntries(spec: Parameters<PodRule['check']>[0]) {
  return containersOf(spec).flatMap(({ container, path, name }) =>
    list(container.env).map((e, i) => ({ e, path: [...path, 'env', i], name })),
  );
}

export const envRules: PodRule[] = [
  {
    id: 'LNT-ENV-001',
    title: 'Downward API field the provider rejects (status.podIP)',
    severity: { v1: 'fail' },
    help: 'The v1 provider fails the pod with "unsupported fieldPath: status.podIP" (also podIPs, hostIP, hostIPs); the pod loops between NotFound and Pending and never starts.',
    evidence: 'Azure/AKS#2427, #1139; virtual-kubelet podFieldSelectorRuntimeValue',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { e, path, name } of envEntries(spec)) {
        const field = obj(obj(e.valueFrom).fieldRef).fieldPath;
        if (typeof field === 'string' && UNSUPPORTED_FIELDS.has(field))
          out.push(
            hit(
              specAt(ctx, ...path, 'valueFrom', 'fieldRef', 'fieldPath'),
              `Env ${String(e.name)} of container ${name} reads ${field}: "unsupported fieldPath: ${field}" on virtual nodes; the pod never starts.`,
              'Read the address at run time instead (hostname -i), and drop this env entry.',
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'LNT-ENV-002',
    title: 'resourceFieldRef env is dropped',
    severity: { v1: 'warn' },
    help: 'virtual-kubelet does not implement resourceFieldRef, and azure-aci drops empty values, so the variable is silently missing.',
    evidence: 'virtual-kubelet env population (TODO resource requests); azure-aci',
    check(spec, ctx) {
      return envEntries(spec)
        .filter(({ e }) => obj(e.valueFrom).resourceFieldRef !== undefined)
        .map(({ e, path, name }) =>
          hit(
            specAt(ctx, ...path, 'valueFrom', 'resourceFieldRef'),
            `Env ${String(e.name)} of container ${name} uses resourceFieldRef, which virtual nodes do not fill in; the variable is missing.`,
            'Set the value literally (value: "500m"), matching the container resources.',
          ),
        );
    },
  },
  {
    id: 'LNT-ENV-004',
    title: 'Env name ACI does not accept',
    severity: { v1: 'warn', v2: 'warn' },
    help: "ACI environment variable names are stricter than Kubernetes': letters, digits and underscores, not starting or ending with an underscore, at most 63 characters. Dots and dashes are rejected.",
    evidence: 'ACI troubleshooting naming table',
    check(spec, ctx) {
      return envEntries(spec)
        .filter(({ e }) => typeof e.name === 'string' && !ACI_ENV_NAME.test(e.name))
        .map(({ e, path, name }) =>
          hit(
            specAt(ctx, ...path, 'name'),
            `Env name "${String(e.name)}" (container ${name}) breaks ACI's naming rules; the deployment may be rejected.`,
            'Rename it to letters, digits and inner underscores, at most 63 characters (e.g. APP_CONFIG_PATH).',
          ),
        );
    },
  },
];
