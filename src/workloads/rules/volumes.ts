// pain.md §3.5: volumes and mounts, as azure-aci getVolumes translates them.
import { containersOf, list, obj } from '../pod.js';
import type { Hit, Obj, PodRule } from '../types.js';
import { hit, specAt } from './util.js';

const AZURE_FILE_CSI = 'file.csi.azure.com';
const SUPPORTED_V1 = new Set(['emptyDir', 'secret', 'configMap', 'projected', 'azureFile', 'csi', 'gitRepo']);
const SUPPORTED_V2 = new Set([...SUPPORTED_V1, 'persistentVolumeClaim']);
const PVC_FIX =
  'Mount the Azure Files share directly (azureFile, or inline CSI file.csi.azure.com), or use Virtual Nodes v2, which mounts Azure Files PVCs.';

/** The volume source key of a volume (`persistentVolumeClaim`, `hostPath`...). */
const sourceOf = (v: Obj): string | undefined => Object.keys(v).find((k) => k !== 'name');

/** Each volume with its index. */
const volumes = (spec: Obj) => list(spec.volumes).map((v, i) => ({ v, i, name: String(v.name ?? i) }));

/** Each projected source with its path below the pod spec. */
const projectedSources = (spec: Obj) =>
  volumes(spec).flatMap(({ v, i, name }) =>
    list(obj(v.projected).sources).map((s, j) => ({ s, name, path: ['volumes', i, 'projected', 'sources', j] })),
  );

export const volumeRules: PodRule[] = [
  {
    id: 'LNT-VOL-001',
    title: 'Volume type ACI does not support',
    severity: { v1: 'fail', v2: 'fail' },
    help: 'The provider rejects the pod ("Pod X requires volume Y which is of an unsupported type"). Supported on v1: emptyDir, secret, configMap, projected (secret, configMap, serviceAccountToken), azureFile, inline CSI file.csi.azure.com and gitRepo. v2 adds PersistentVolumeClaims (Azure Files).',
    evidence: 'azure-aci getVolumes; MicrosoftDocs/azure-docs#54442, #84855; virtual-kubelet/azure-aci#91',
    check(spec, ctx) {
      const supported = ctx.stack === 'v2' ? SUPPORTED_V2 : SUPPORTED_V1;
      const out: Hit[] = [];
      for (const { v, i, name } of volumes(spec)) {
        const source = sourceOf(v);
        if (source && !supported.has(source))
          out.push(
            hit(
              specAt(ctx, 'volumes', i, source),
              `Volume ${name} is a ${source}, which virtual nodes do not support ("requires volume ${name} which is of an unsupported type").`,
              source === 'persistentVolumeClaim'
                ? PVC_FIX
                : 'Use emptyDir, secret, configMap, projected or an Azure Files share instead, or run this workload on a VM node pool.',
            ),
          );
      }
      // A StatefulSet's claim templates become PVC volumes of its pods.
      if (ctx.stack === 'v1' && ctx.ownerKind === 'StatefulSet')
        list(obj(ctx.object.spec).volumeClaimTemplates).forEach((t, i) =>
          out.push(
            hit(
              ['spec', 'volumeClaimTemplates', i],
              `Claim template ${String(obj(t.metadata).name ?? i)} gives each pod a persistentVolumeClaim volume, which v1 virtual nodes do not support.`,
              PVC_FIX,
            ),
          ),
        );
      return out;
    },
  },
  {
    id: 'LNT-VOL-002',
    title: 'CSI driver other than Azure Files',
    severity: { v1: 'fail' },
    help: `Only the Azure Files CSI driver (${AZURE_FILE_CSI}, inline, with volumeAttributes.secretName and shareName) is translated; secrets-store, disk and blob CSI volumes are not.`,
    evidence: 'azure-aci getVolumes; Azure/secrets-store-csi-driver-provider-azure#369',
    check(spec, ctx) {
      return volumes(spec)
        .filter(({ v }) => v.csi !== undefined && obj(v.csi).driver !== AZURE_FILE_CSI)
        .map(({ v, i, name }) =>
          hit(
            specAt(ctx, 'volumes', i, 'csi', 'driver'),
            `Volume ${name} uses CSI driver ${String(obj(v.csi).driver)}; virtual nodes only support ${AZURE_FILE_CSI}.`,
            'Use an inline file.csi.azure.com volume or a secret volume synced by another pod; run this workload on a VM node pool otherwise.',
          ),
        );
    },
  },
  {
    id: 'LNT-VOL-003',
    title: 'Azure Files volume without secretName or shareName',
    severity: { v1: 'fail' },
    help: 'An Azure Files volume (azureFile, or CSI file.csi.azure.com) needs a secret with azurestorageaccountname/azurestorageaccountkey and a share name ("share name for AzureFile CSI driver cannot be empty").',
    evidence: 'azure-aci getVolumes',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { v, i, name } of volumes(spec)) {
        const csi = obj(v.csi);
        const [base, fields] =
          v.azureFile !== undefined
            ? [['volumes', i, 'azureFile'], obj(v.azureFile)]
            : csi.driver === AZURE_FILE_CSI
              ? [['volumes', i, 'csi', 'volumeAttributes'], obj(csi.volumeAttributes)]
              : [undefined, {}];
        if (!base) continue;
        const missing = ['secretName', 'shareName'].filter((f) => typeof fields[f] !== 'string' || fields[f] === '');
        if (missing.length)
          out.push(
            hit(
              specAt(ctx, ...(base as (string | number)[])),
              `Azure Files volume ${name} has no ${missing.join(' or ')}; the provider cannot mount it.`,
              `Set ${missing.join(' and ')} (the secret holds azurestorageaccountname and azurestorageaccountkey).`,
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'LNT-VOL-004',
    title: 'Projected downwardAPI or clusterTrustBundle source',
    severity: { v1: 'warn' },
    help: 'Only secret, configMap and serviceAccountToken sources of a projected volume are translated; the others are silently left out.',
    evidence: 'azure-aci getVolumes (projected)',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { s, name, path } of projectedSources(spec))
        for (const kind of ['downwardAPI', 'clusterTrustBundle'])
          if (s[kind] !== undefined)
            out.push(
              hit(
                specAt(ctx, ...path, kind),
                `The ${kind} source of projected volume ${name} is ignored on virtual nodes.`,
                'Pass the values as env or a configMap instead.',
              ),
            );
      return out;
    },
  },
  {
    id: 'LNT-VOL-005',
    title: 'Projected service account token',
    severity: { v1: 'warn' },
    help: 'virtual-kubelet fills service account tokens from legacy kubernetes.io/service-account-token Secrets; since Kubernetes 1.24 those are not created automatically, so the token file may be missing. With workload identity it is (fail).',
    evidence: 'virtual-kubelet/azure-aci#543; azure-aci',
    check(spec, ctx) {
      const wi = ctx.podLabels['azure.workload.identity/use'] === 'true';
      return projectedSources(spec)
        .filter(({ s }) => s.serviceAccountToken !== undefined)
        .map(({ name, path }) =>
          hit(
            specAt(ctx, ...path, 'serviceAccountToken'),
            `Projected volume ${name} asks for a service account token, which v1 virtual nodes fill only from a legacy token Secret${wi ? '; workload identity cannot work' : ''}.`,
            'Create a kubernetes.io/service-account-token Secret for the service account, or use Virtual Nodes v2.',
            wi ? 'fail' : undefined,
          ),
        );
    },
  },
  {
    id: 'LNT-VOL-006',
    title: 'Projected secret or configMap without items',
    severity: { v1: 'warn' },
    help: 'For projected secret and configMap sources the provider mounts only the keys listed in items; with no items nothing is mounted.',
    evidence: 'azure-aci getVolumes (iterates source.Secret.Items)',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { s, name, path } of projectedSources(spec))
        for (const kind of ['secret', 'configMap'])
          if (s[kind] !== undefined && list(obj(s[kind]).items).length === 0)
            out.push(
              hit(
                specAt(ctx, ...path, kind),
                `The projected ${kind} of volume ${name} lists no items; on virtual nodes nothing of it is mounted.`,
                `List every key under items, or use a plain ${kind} volume.`,
              ),
            );
      return out;
    },
  },
  {
    id: 'LNT-VOL-007',
    title: 'items, modes, subPath or mountPropagation are ignored',
    severity: { v1: 'warn' },
    help: 'For plain secret and configMap volumes all keys are mounted under their own names, file modes are ignored, subPath is ignored (the whole volume is mounted at mountPath) and the content is a snapshot.',
    evidence: 'azure-aci getVolumes; mounts map only name, mountPath and readOnly',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { v, i, name } of volumes(spec))
        for (const kind of ['secret', 'configMap']) {
          const src = obj(v[kind]);
          if (v[kind] === undefined) continue;
          if (src.items !== undefined)
            out.push(
              hit(
                specAt(ctx, 'volumes', i, kind, 'items'),
                `items of ${kind} volume ${name} are ignored: every key is mounted under its own name.`,
                'Mount the whole volume and read the key names, or copy files into place in the command.',
              ),
            );
          if (src.defaultMode !== undefined)
            out.push(
              hit(
                specAt(ctx, 'volumes', i, kind, 'defaultMode'),
                `defaultMode of ${kind} volume ${name} is ignored.`,
                'Do not rely on file modes; chmod a copy in the command if needed.',
              ),
            );
          list(src.items).forEach((it, j) => {
            if (it.mode !== undefined)
              out.push(
                hit(
                  specAt(ctx, 'volumes', i, kind, 'items', j, 'mode'),
                  `mode of item ${j} in ${kind} volume ${name} is ignored.`,
                  'Do not rely on file modes; chmod a copy in the command if needed.',
                ),
              );
          });
        }
      for (const { container: c, path, name } of containersOf(spec))
        list(c.volumeMounts).forEach((m, j) => {
          for (const f of ['subPath', 'subPathExpr', 'mountPropagation'])
            if (m[f] !== undefined && m[f] !== '')
              out.push(
                hit(
                  specAt(ctx, ...path, 'volumeMounts', j, f),
                  `${f} of mount ${String(m.name)} (container ${name}) is ignored: ${f === 'mountPropagation' ? 'ACI has no mount propagation' : 'the whole volume is mounted at mountPath'}.`,
                  f === 'mountPropagation'
                    ? 'Remove it.'
                    : 'Mount the volume at its own directory and point the app at the file inside it.',
                ),
              );
        });
      return out;
    },
  },
];
