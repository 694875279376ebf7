// pain.md §3.7: identity, images, names, ports.
import { containersOf, list, obj, strings } from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { hit, metaAt, nonEmpty, specAt } from './util.js';

/** Azure Container Registry hosts in the public and sovereign clouds. */
const ACR_HOST = /\.azurecr\.(io|cn|us)$|\.azurecr\.microsoft\.scloud$|\.azurecr\.eaglex\.ic\.gov$/i;

/** The registry host of an image reference, or undefined for Docker Hub short names. */
export function registryHost(image: string): string | undefined {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first.toLowerCase()
    : undefined;
}

/** The length of the longest pod name a controller makes from its name (hash and ordinal suffixes). */
function longestPodName(kind: string, name: string, o: Record<string, unknown>): number {
  const spec = obj(o.spec);
  switch (kind) {
    case 'Deployment':
      return name.length + 17; // -<pod-template-hash (10)>-<5>
    case 'StatefulSet':
      return name.length + 1 + String(Math.max(0, Number(spec.replicas ?? 1) - 1)).length;
    case 'CronJob':
      return name.length + 12 + 6; // -<scheduled time in minutes (8+)>-<5>
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
      return name.length + 6;
    default:
      return name.length;
  }
}

export const identityRules: PodRule[] = [
  {
    id: 'LNT-ID-001',
    title: 'Workload identity on v1',
    severity: { v1: 'fail' },
    help: 'v1 virtual nodes do not project the workload identity token ("open /var/run/secrets/azure/tokens/azure-identity-token: no such file or directory"); Virtual Nodes v2 supports it.',
    evidence: 'virtual-kubelet/azure-aci#189, #543',
    check(_spec, ctx) {
      if (ctx.podLabels['azure.workload.identity/use'] !== 'true') return [];
      return [
        hit(
          metaAt(ctx, 'labels', 'azure.workload.identity/use'),
          'Workload identity tokens are not projected on v1 virtual nodes; the Azure SDK in the pod fails to read azure-identity-token.',
          'Use Virtual Nodes v2 (--stack v2), a secret-based credential, or a VM node pool for this workload.',
        ),
      ];
    },
    // The other half of the catalog row: a service account set up for workload identity, used by such pods.
    related: {
      kinds: ['ServiceAccount'],
      check(o, workloads) {
        const meta = obj(o.metadata);
        if (strings(meta.annotations)['azure.workload.identity/client-id'] === undefined) return [];
        const ns = String(meta.namespace ?? '') || 'default';
        const users = workloads.filter((w) => w.ref.namespace === ns && w.serviceAccount === meta.name);
        if (users.length === 0) return [];
        return [
          hit(
            ['metadata', 'annotations', 'azure.workload.identity/client-id'],
            `Service account ${String(meta.name)} is set up for workload identity and used by virtual-node workloads (${users.map((w) => `${w.ref.kind}/${w.ref.name}`).join(', ')}); v1 virtual nodes do not project its token.`,
            'Use Virtual Nodes v2 (--stack v2), a secret-based credential, or a VM node pool for these workloads.',
          ),
        ];
      },
    },
  },
  {
    id: 'LNT-ID-002',
    title: 'AAD Pod Identity binding',
    severity: { v1: 'fail', v2: 'fail' },
    help: "AAD Pod Identity intercepts the node's IMDS traffic, which does not exist for ACI pods; it cannot work on virtual nodes.",
    evidence: 'Azure/aad-pod-identity#236, #651',
    check(_spec, ctx) {
      if (ctx.podLabels.aadpodidbinding === undefined) return [];
      return [
        hit(
          metaAt(ctx, 'labels', 'aadpodidbinding'),
          'AAD Pod Identity (aadpodidbinding) cannot work with ACI pods.',
          'Move to workload identity on Virtual Nodes v2, or a secret-based credential.',
        ),
      ];
    },
  },
  {
    id: 'LNT-IMG-001',
    title: 'ACR image without imagePullSecrets',
    severity: { v1: 'fail', v2: 'warn' },
    help: "v1 virtual nodes cannot use the kubelet identity or --attach-acr: ACI pulls with the pod's imagePullSecrets only and returns InaccessibleImage otherwise. On v2 the extension identity needs AcrPull on the registry.",
    evidence: 'AKS virtual-nodes.md; MicrosoftDocs/azure-docs#22924',
    check(spec, ctx) {
      if (nonEmpty(spec.imagePullSecrets)) return [];
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec)) {
        const host = typeof c.image === 'string' ? registryHost(c.image) : undefined;
        if (host && ACR_HOST.test(host))
          out.push(
            hit(
              specAt(ctx, ...path, 'image'),
              ctx.stack === 'v1'
                ? `Container ${name} pulls from ${host} with no imagePullSecrets; ACI cannot use the kubelet identity and fails with InaccessibleImage.`
                : `Container ${name} pulls from ${host} with no imagePullSecrets; it works only if the virtual node's identity has AcrPull on the registry.`,
              ctx.stack === 'v1'
                ? `Create a docker-registry secret for ${host} and add it to imagePullSecrets (unless the service account carries it).`
                : 'Grant the virtual node extension identity AcrPull on the registry, or add imagePullSecrets.',
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'LNT-NAME-001',
    title: 'Container group name over 63 characters',
    severity: { v1: 'warn' },
    help: 'The provider names the ACI container group <namespace>-<pod name>, and ACI names are limited to 63 characters. Controllers add suffixes (a Deployment about 17 characters).',
    evidence: 'azure-aci containerGroupName; ACI naming table [inferred failure]',
    check(_spec, ctx) {
      const meta = obj(ctx.object.metadata);
      const name =
        typeof meta.name === 'string'
          ? meta.name
          : typeof meta.generateName === 'string'
            ? `${meta.generateName}xxxxx`
            : '';
      if (!name) return [];
      const length = ctx.namespace.length + 1 + longestPodName(ctx.ownerKind, name, ctx.object);
      if (length <= 63) return [];
      return [
        hit(
          ['metadata', meta.name !== undefined ? 'name' : 'generateName'],
          `The ACI container group name ${ctx.namespace}-<pod> will be about ${length} characters; ACI allows 63.`,
          `Shorten the namespace or the name by ${length - 63} characters.`,
        ),
      ];
    },
  },
  {
    id: 'LNT-PORT-001',
    title: 'hostPort is ignored',
    severity: { v1: 'warn' },
    help: 'Only containerPort and protocol are translated; hostPort has no meaning on ACI.',
    evidence: 'azure-aci (only containerPort/protocol mapped)',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec))
        list(c.ports).forEach((p, i) => {
          if (p.hostPort !== undefined)
            out.push(
              hit(
                specAt(ctx, ...path, 'ports', i, 'hostPort'),
                `hostPort ${String(p.hostPort)} of container ${name} is ignored on ACI.`,
                'Remove hostPort and reach the pod through a Service or its pod IP.',
              ),
            );
        });
      return out;
    },
  },
];
