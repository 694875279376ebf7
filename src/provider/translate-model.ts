// The vocabulary of translation: findings with rule ids and field paths, what translating needs from the cluster, and
// how it asks for ConfigMaps and Secrets (resolved through the API server when running, listed when offline).

/** One thing translation noticed: `rule` is a lint rule id (research/pain.md §3) or a provider rule (`PRV-*`). */
export interface Finding {
  rule: string;
  /** Field path in the pod, e.g. `spec.containers[0].args`. */
  path: string;
  message: string;
  fix?: string;
}

/** A ConfigMap or Secret the pod refers to. */
export interface ObjectRef {
  kind: 'Secret' | 'ConfigMap';
  namespace: string;
  name: string;
  key?: string;
  optional?: boolean;
}

/** Data of a ConfigMap (`data` plain, `binaryData` base64) or a Secret (`data` base64), and a Secret's type. */
export interface ObjectData {
  data: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}

/** Reads ConfigMaps and Secrets: `null` when the object does not exist. Absent when translating offline. */
export interface Lookup {
  get(ref: ObjectRef): ObjectData | null;
}

/** Where the pod's group goes and what the cluster looks like. */
export interface TranslateContext {
  region: string;
  nodeName: string;
  /** ACI subnet id: VNet mode (private IP, cluster DNS). */
  subnetId?: string;
  /** The cluster's DNS service IP (kube-dns), for ClusterFirst pods in a VNet. */
  dnsServiceIp?: string;
  clusterDomain?: string;
  /** Container group name (default `<ns>-<pod>` through names.ts). */
  name?: string;
  /** Pre-read ConfigMaps and Secrets; without it, refs are listed in `needs` and values are placeholders. */
  lookup?: Lookup;
}

/** The part of the translation that collects findings as it goes. */
export interface Collector {
  warn(rule: string, path: string, message: string, fix?: string): void;
  reject(rule: string, path: string, message: string, fix?: string): void;
  need(ref: ObjectRef): void;
  /** Reads an object through the lookup (and lists it as needed); undefined offline, null when missing. */
  read(ref: ObjectRef): ObjectData | null | undefined;
  /** A mandatory object or key that does not exist (the pod waits, as kubelet's CreateContainerConfigError). */
  missing(ref: ObjectRef, path: string): void;
}

/** Makes a collector over finding lists. */
export function collector(
  lookup: Lookup | undefined,
  out: { warnings: Finding[]; rejections: Finding[]; needs: ObjectRef[]; missing: Finding[] },
): Collector {
  const seen = new Set<string>();
  const need = (ref: ObjectRef): void => {
    const key = `${ref.kind}/${ref.namespace}/${ref.name}/${ref.key ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.needs.push(ref);
  };
  return {
    warn: (rule, path, message, fix) => out.warnings.push({ rule, path, message, ...(fix ? { fix } : {}) }),
    reject: (rule, path, message, fix) => out.rejections.push({ rule, path, message, ...(fix ? { fix } : {}) }),
    need,
    read(ref) {
      need(ref);
      return lookup === undefined ? undefined : lookup.get(ref);
    },
    missing(ref, path) {
      const what = `${ref.kind} ${ref.namespace}/${ref.name}${ref.key ? ` key ${ref.key}` : ''}`;
      out.missing.push({
        rule: 'PRV-REF-001',
        path,
        message: `${what} does not exist.`,
        fix: `Create it, or mark the reference optional: true.`,
      });
    },
  };
}

/** Placeholder for a value only the API server knows, in offline output. */
export const placeholder = (ref: ObjectRef): string =>
  `<${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}${ref.key ? `#${ref.key}` : ''}>`;
