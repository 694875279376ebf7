// Volumes (emptyDir, secret, configMap, projected, Azure Files, gitRepo) and image pull secrets in ACI's form.
import type { ImageRegistryCredential, Volume } from '@azure/arm-containerinstance';
import type { V1Pod, V1Volume } from '@kubernetes/client-node';
import type { Collector, ObjectData, ObjectRef } from './translate-model.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const decode = (text: string): string => Buffer.from(text, 'base64').toString('utf8');
const AZURE_FILE_CSI = 'file.csi.azure.com';

/** A Secret's or ConfigMap's files for an ACI secret volume (values base64), keeping only `items` when given. */
function files(
  data: ObjectData,
  kind: ObjectRef['kind'],
  items: { key: string; path: string }[] | undefined,
  path: string,
  out: Collector,
): Record<string, string> {
  const all: Record<string, string> =
    kind === 'Secret'
      ? { ...data.data }
      : { ...Object.fromEntries(Object.entries(data.data).map(([k, v]) => [k, b64(v)])), ...(data.binaryData ?? {}) };
  if (!items?.length) return all;
  const picked: Record<string, string> = {};
  for (const item of items) {
    if (all[item.key] === undefined) continue;
    if (item.path.includes('/'))
      out.warn(
        'LNT-VOL-007',
        `${path}.items`,
        `Item path "${item.path}" has a directory; ACI secret volumes are flat, so it is mounted as "${item.path.split('/').pop()}".`,
      );
    picked[item.path.split('/').pop()!] = all[item.key]!;
  }
  return picked;
}

/** Reads a referenced object for a volume; undefined offline or when missing (missing and mandatory is recorded). */
function source(ref: ObjectRef, path: string, out: Collector): ObjectData | undefined {
  const data = out.read(ref);
  if (data === null) {
    if (!ref.optional) out.missing(ref, path);
    return undefined;
  }
  return data;
}

function azureFile(
  ns: string,
  secretName: string,
  shareName: string,
  readOnly: boolean,
  path: string,
  out: Collector,
): Volume['azureFile'] {
  const data = source({ kind: 'Secret', namespace: ns, name: secretName }, path, out);
  const account = data?.data.azurestorageaccountname;
  const key = data?.data.azurestorageaccountkey;
  if (data && (account === undefined || key === undefined))
    out.reject(
      'LNT-VOL-003',
      path,
      `Secret ${ns}/${secretName} lacks azurestorageaccountname or azurestorageaccountkey.`,
      'Add both keys to the Secret.',
    );
  return {
    shareName,
    storageAccountName:
      account === undefined ? `<secret ${ns}/${secretName}#azurestorageaccountname>` : decode(account),
    ...(key === undefined ? {} : { storageAccountKey: decode(key) }),
    ...(readOnly ? { readOnly } : {}),
  };
}

/** One pod volume as an ACI volume; unsupported types reject the pod. */
function volume(ns: string, v: V1Volume, i: number, out: Collector): Volume | undefined {
  const path = `spec.volumes[${i}]`;
  if (v.emptyDir) {
    if (v.emptyDir.medium || v.emptyDir.sizeLimit)
      out.warn('LNT-VOL-009', `${path}.emptyDir`, 'emptyDir medium and sizeLimit are ignored on ACI.');
    return { name: v.name, emptyDir: {} };
  }
  if (v.secret || v.configMap) {
    const kind = v.secret ? 'Secret' : 'ConfigMap';
    const ref: ObjectRef = {
      kind,
      namespace: ns,
      name: v.secret?.secretName ?? v.configMap?.name ?? '',
      optional: Boolean((v.secret ?? v.configMap)?.optional),
    };
    const data = source(ref, path, out);
    return { name: v.name, secret: data ? files(data, kind, (v.secret ?? v.configMap)?.items, path, out) : {} };
  }
  if (v.projected) {
    const merged: Record<string, string> = {};
    v.projected.sources?.forEach((s, j) => {
      const at = `${path}.projected.sources[${j}]`;
      if (s.secret || s.configMap) {
        const kind = s.secret ? 'Secret' : 'ConfigMap';
        const data = source(
          {
            kind,
            namespace: ns,
            name: (s.secret ?? s.configMap)?.name ?? '',
            optional: Boolean((s.secret ?? s.configMap)?.optional),
          },
          at,
          out,
        );
        if (data) Object.assign(merged, files(data, kind, (s.secret ?? s.configMap)?.items, at, out));
      } else if (s.serviceAccountToken) {
        out.warn(
          'LNT-VOL-005',
          `${at}.serviceAccountToken`,
          'Service account tokens are not projected into ACI; the token file is absent.',
          'Give the workload a long-lived token Secret if it must call the API server.',
        );
      } else if (s.downwardAPI) {
        out.warn('LNT-VOL-004', `${at}.downwardAPI`, 'downwardAPI projections are left out on ACI.');
      }
    });
    return { name: v.name, secret: merged };
  }
  if (v.azureFile)
    return {
      name: v.name,
      azureFile: azureFile(ns, v.azureFile.secretName, v.azureFile.shareName, Boolean(v.azureFile.readOnly), path, out),
    };
  if (v.csi) {
    if (v.csi.driver !== AZURE_FILE_CSI) {
      out.reject(
        'LNT-VOL-002',
        `${path}.csi.driver`,
        `CSI driver ${v.csi.driver} has no ACI form; only ${AZURE_FILE_CSI} (inline) does.`,
        'Use an Azure Files share, or run the pod on a regular node.',
      );
      return undefined;
    }
    const attrs = v.csi.volumeAttributes ?? {};
    if (!attrs.secretName || !attrs.shareName) {
      out.reject(
        'LNT-VOL-003',
        `${path}.csi.volumeAttributes`,
        'Azure Files CSI volumes need volumeAttributes.secretName and shareName.',
        'Set both.',
      );
      return undefined;
    }
    return {
      name: v.name,
      azureFile: azureFile(ns, attrs.secretName, attrs.shareName, Boolean(v.csi.readOnly), path, out),
    };
  }
  const gitRepo = (v as { gitRepo?: { repository: string; directory?: string; revision?: string } }).gitRepo;
  if (gitRepo) {
    out.warn('LNT-VOL-010', `${path}.gitRepo`, 'gitRepo works on ACI but is deprecated in Kubernetes.');
    return {
      name: v.name,
      gitRepo: {
        repository: gitRepo.repository,
        ...(gitRepo.directory ? { directory: gitRepo.directory } : {}),
        ...(gitRepo.revision ? { revision: gitRepo.revision } : {}),
      },
    };
  }
  const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
  out.reject(
    'LNT-VOL-001',
    `${path}.${type}`,
    `Volume "${v.name}" is of type ${type}, which ACI cannot mount.`,
    'Use emptyDir, secret, configMap, projected, azureFile or the Azure Files CSI driver.',
  );
  return undefined;
}

/** The pod's volumes. */
export function volumes(pod: V1Pod, out: Collector): Volume[] {
  const ns = pod.metadata?.namespace ?? 'default';
  return (pod.spec?.volumes ?? []).flatMap((v, i) => {
    const one = volume(ns, v, i, out);
    return one ? [one] : [];
  });
}

/** Registry credentials from docker-registry Secrets: one per `auths` entry, the server as the entry's key. */
export function pullSecrets(pod: V1Pod, out: Collector): ImageRegistryCredential[] {
  const ns = pod.metadata?.namespace ?? 'default';
  return (pod.spec?.imagePullSecrets ?? []).flatMap((s, i) => {
    const path = `spec.imagePullSecrets[${i}]`;
    const data = source({ kind: 'Secret', namespace: ns, name: s.name ?? '' }, path, out);
    if (data === undefined) return [];
    const raw = data.data['.dockerconfigjson'] ?? data.data['.dockercfg'];
    if (raw === undefined) {
      out.reject(
        'PRV-PULL-001',
        path,
        `Secret ${ns}/${s.name} is not of type kubernetes.io/dockerconfigjson or dockercfg.`,
        'Create it with `kubectl create secret docker-registry`.',
      );
      return [];
    }
    let parsed: Record<string, { username?: string; password?: string; auth?: string }>;
    try {
      const json = JSON.parse(decode(raw)) as { auths?: typeof parsed } & typeof parsed;
      parsed = data.data['.dockerconfigjson'] !== undefined ? (json.auths ?? {}) : json;
    } catch {
      out.reject(
        'PRV-PULL-001',
        path,
        `Secret ${ns}/${s.name} does not hold valid docker config JSON.`,
        'Re-create it with `kubectl create secret docker-registry`.',
      );
      return [];
    }
    return Object.entries(parsed).map(([server, entry]) => {
      const [user, ...rest] = entry.auth ? decode(entry.auth).split(':') : [];
      return {
        server: server.replace(/^https?:\/\//, '').replace(/\/.*$/, ''),
        username: entry.username ?? user ?? '',
        password: entry.password ?? rest.join(':'),
      };
    });
  });
}
