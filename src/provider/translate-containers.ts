// Containers and init containers: command, env (Secrets as secureValue), resources at ACI's granularity, ports, probes.
import type {
  Container,
  ContainerProbe,
  EnvironmentVariable,
  InitContainerDefinition,
} from '@azure/arm-containerinstance';
import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { aciCpu, aciMemoryGb, parseQuantity } from './quantity.js';
import { type Collector, placeholder } from './translate-model.js';

const DEFAULT_CPU = 1;
const DEFAULT_MEMORY_GB = 1.5;
/** Fields the kubelet resolves that need the pod's IP, which no one knows before ACI assigns it. */
const IP_FIELDS = new Set(['status.podIP', 'status.podIPs', 'status.hostIP', 'status.hostIPs']);

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** `command` + `args` as ACI's single command array; args alone cannot run, as ACI does not know the entrypoint. */
function command(c: V1Container, path: string, out: Collector): string[] | undefined {
  if (c.args?.length && !c.command?.length) {
    out.reject(
      'LNT-CMD-001',
      `${path}.args`,
      'args without command: ACI cannot run them, as it does not know the image ENTRYPOINT.',
      'Set command to the image ENTRYPOINT explicitly (see `docker inspect`), keeping args.',
    );
    return undefined;
  }
  const all = [...(c.command ?? []), ...(c.args ?? [])];
  return all.length ? all : undefined;
}

/** Kubernetes field references the provider can resolve itself, before the group exists. */
function fieldValue(pod: V1Pod, fieldPath: string, nodeName: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return (pod.metadata?.[m[1] as 'labels' | 'annotations'] ?? {})[m[2]!];
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace ?? 'default',
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName ?? nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? 'default',
  };
  return values[fieldPath];
}

/** Env vars, in the pod's order; values from Secrets become secureValue, so ARM never shows them. */
function env(pod: V1Pod, c: V1Container, path: string, out: Collector, nodeName: string): EnvironmentVariable[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, EnvironmentVariable>();
  (c.envFrom ?? []).forEach((from, i) => {
    const kind = from.secretRef ? 'Secret' : 'ConfigMap';
    const name = (from.secretRef ?? from.configMapRef)?.name ?? '';
    const optional = Boolean((from.secretRef ?? from.configMapRef)?.optional);
    const ref = { kind, namespace: ns, name, optional } as const;
    const data = out.read(ref);
    if (data === null) {
      if (!optional) out.missing(ref, `${path}.envFrom[${i}]`);
      return;
    }
    if (data === undefined) return;
    for (const [key, value] of Object.entries(data.data)) {
      const name = `${from.prefix ?? ''}${key}`;
      vars.set(name, kind === 'Secret' ? { name, secureValue: decode(value) } : { name, value });
    }
  });
  (c.env ?? []).forEach((e, i) => {
    const at = `${path}.env[${i}]`;
    const from = e.valueFrom;
    if (!from) {
      vars.set(e.name, { name: e.name, value: e.value ?? '' });
      return;
    }
    const keyRef = from.secretKeyRef ?? from.configMapKeyRef;
    if (keyRef) {
      const kind = from.secretKeyRef ? 'Secret' : 'ConfigMap';
      const ref = {
        kind,
        namespace: ns,
        name: keyRef.name ?? '',
        key: keyRef.key,
        optional: Boolean(keyRef.optional),
      } as const;
      const data = out.read(ref);
      const raw = data?.data[keyRef.key];
      if (data === undefined) {
        vars.set(
          e.name,
          kind === 'Secret'
            ? { name: e.name, secureValue: placeholder(ref) }
            : { name: e.name, value: placeholder(ref) },
        );
      } else if (raw === undefined) {
        if (!ref.optional) out.missing(ref, `${at}.valueFrom`);
      } else
        vars.set(e.name, kind === 'Secret' ? { name: e.name, secureValue: decode(raw) } : { name: e.name, value: raw });
      return;
    }
    if (from.fieldRef) {
      const fieldPath = from.fieldRef.fieldPath;
      if (IP_FIELDS.has(fieldPath)) {
        out.reject(
          'LNT-ENV-001',
          `${at}.valueFrom.fieldRef.fieldPath`,
          `${fieldPath} is not known before ACI assigns the group its IP.`,
          'Read the IP at run time instead (e.g. `hostname -i`).',
        );
        return;
      }
      const value = fieldValue(pod, fieldPath, nodeName);
      if (value === undefined)
        out.warn(
          'LNT-ENV-001',
          `${at}.valueFrom.fieldRef`,
          `fieldRef ${fieldPath} is not supported; the variable is empty.`,
        );
      vars.set(e.name, { name: e.name, value: value ?? '' });
      return;
    }
    if (from.resourceFieldRef) {
      out.warn(
        'LNT-ENV-002',
        `${at}.valueFrom.resourceFieldRef`,
        'resourceFieldRef is not resolved on ACI; the variable is left out.',
      );
    }
  });
  for (const name of vars.keys()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      out.warn(
        'LNT-ENV-004',
        `${path}.env`,
        `Env var name "${name}" breaks ACI's naming rules; ACI may refuse the group.`,
      );
  }
  return [...vars.values()];
}

/** Requests and limits at ACI's granularity; missing requests get ACI's defaults, which bill 1 vCPU and 1.5 GB. */
function resources(c: V1Container, path: string, out: Collector): Container['resources'] {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = parseQuantity(req.cpu ?? lim.cpu);
  const memReq = parseQuantity(req.memory ?? lim.memory);
  if (cpuReq === undefined || memReq === undefined) {
    out.warn(
      'LNT-RES-001',
      `${path}.resources.requests`,
      `No ${[cpuReq === undefined ? 'cpu' : '', memReq === undefined ? 'memory' : ''].filter(Boolean).join(' or ')} request: ACI gives (and bills) ${DEFAULT_CPU} vCPU and ${DEFAULT_MEMORY_GB} GB.`,
      'Set resources.requests.cpu and .memory.',
    );
  }
  if (lim['nvidia.com/gpu'] !== undefined || req['nvidia.com/gpu'] !== undefined) {
    out.reject(
      'LNT-RES-005',
      `${path}.resources.limits`,
      'ACI GPU containers are retired (July 2025) and never ran in a VNet.',
      'Use a GPU node pool.',
    );
  }
  const requests = {
    cpu: aciCpu(cpuReq ?? DEFAULT_CPU),
    memoryInGB: aciMemoryGb(memReq === undefined ? DEFAULT_MEMORY_GB * 1e9 : memReq),
  };
  const cpuLim = parseQuantity(lim.cpu);
  const memLim = parseQuantity(lim.memory);
  const limits = {
    ...(cpuLim === undefined ? {} : { cpu: aciCpu(cpuLim) }),
    ...(memLim === undefined ? {} : { memoryInGB: aciMemoryGb(memLim) }),
  };
  return Object.keys(limits).length ? { requests, limits } : { requests };
}

/** exec and httpGet probes; tcpSocket and grpc have no ACI form. */
function probe(p: V1Probe | undefined, c: V1Container, path: string, out: Collector): ContainerProbe | undefined {
  if (p === undefined) return undefined;
  const timing = {
    ...(p.initialDelaySeconds !== undefined ? { initialDelaySeconds: p.initialDelaySeconds } : {}),
    ...(p.periodSeconds !== undefined ? { periodSeconds: p.periodSeconds } : {}),
    ...(p.failureThreshold !== undefined ? { failureThreshold: p.failureThreshold } : {}),
    ...(p.successThreshold !== undefined ? { successThreshold: p.successThreshold } : {}),
    ...(p.timeoutSeconds !== undefined ? { timeoutSeconds: p.timeoutSeconds } : {}),
  };
  if (p.exec) return { exec: { command: p.exec.command ?? [] }, ...timing };
  if (p.httpGet) {
    const raw = p.httpGet.port as unknown;
    const port =
      typeof raw === 'number' || /^\d+$/.test(String(raw))
        ? Number(raw)
        : c.ports?.find((x) => x.name === raw)?.containerPort;
    if (port === undefined) {
      out.reject(
        'LNT-PRB-001',
        `${path}.httpGet.port`,
        `Named port "${String(raw)}" is not among the container's ports.`,
        'Use the port number, or name it in ports[].',
      );
      return undefined;
    }
    if (p.httpGet.host)
      out.warn(
        'LNT-PRB-003',
        `${path}.httpGet.host`,
        'httpGet.host is ignored by ACI: the probe targets the container.',
      );
    return {
      httpGet: {
        port,
        ...(p.httpGet.path ? { path: p.httpGet.path } : {}),
        ...(p.httpGet.scheme ? { scheme: p.httpGet.scheme.toLowerCase() as 'http' | 'https' } : {}),
        ...(p.httpGet.httpHeaders?.length
          ? { httpHeaders: p.httpGet.httpHeaders.map((h) => ({ name: h.name, value: h.value })) }
          : {}),
      },
      ...timing,
    };
  }
  out.reject(
    'LNT-PRB-001',
    path,
    'Only exec and httpGet probes exist on ACI (not tcpSocket or grpc).',
    'Rewrite the probe as exec or httpGet.',
  );
  return undefined;
}

/** Fields ACI has no place for, said once per container. */
function unsupported(c: V1Container, path: string, out: Collector): void {
  if (c.lifecycle?.postStart || c.lifecycle?.preStop)
    out.reject(
      'LNT-LC-001',
      `${path}.lifecycle`,
      'ACI has no lifecycle hooks (postStart/preStop).',
      'Remove lifecycle, or run the hook in the entrypoint.',
    );
  if (c.workingDir)
    out.warn('LNT-CMD-002', `${path}.workingDir`, 'workingDir is not passed to ACI.', 'cd in the command instead.');
  if (c.securityContext && Object.keys(c.securityContext).length)
    out.warn('LNT-SEC-001', `${path}.securityContext`, 'securityContext is not translated to ACI.');
  c.volumeMounts?.forEach((m, i) => {
    if (m.subPath || m.subPathExpr)
      out.warn(
        'LNT-VOL-007',
        `${path}.volumeMounts[${i}].subPath`,
        'subPath is ignored: ACI mounts the whole volume at mountPath.',
      );
  });
}

/** Volume mounts: name, path and read-only; ACI has no subPath or propagation. */
const mounts = (c: V1Container): { volumeMounts?: Container['volumeMounts'] } =>
  c.volumeMounts?.length
    ? {
        volumeMounts: c.volumeMounts.map((m) => ({
          name: m.name,
          mountPath: m.mountPath,
          ...(m.readOnly ? { readOnly: true } : {}),
        })),
      }
    : {};

/** One app container. */
export function container(pod: V1Pod, c: V1Container, i: number, out: Collector, nodeName: string): Container {
  const path = `spec.containers[${i}]`;
  unsupported(c, path, out);
  if (c.startupProbe)
    out.warn(
      'LNT-PRB-002',
      `${path}.startupProbe`,
      'ACI has no startup probes; it is left out (the liveness probe starts at once).',
      'Raise livenessProbe.initialDelaySeconds instead.',
    );
  const cmd = command(c, path, out);
  const ports = (c.ports ?? []).map((p) => ({
    port: p.containerPort,
    protocol: p.protocol === 'UDP' ? ('UDP' as const) : ('TCP' as const),
  }));
  const liveness = probe(c.livenessProbe, c, `${path}.livenessProbe`, out);
  const readiness = probe(c.readinessProbe, c, `${path}.readinessProbe`, out);
  const vars = env(pod, c, path, out, nodeName);
  return {
    name: c.name,
    image: c.image ?? '',
    ...(cmd ? { command: cmd } : {}),
    ...(ports.length ? { ports } : {}),
    ...(vars.length ? { environmentVariables: vars } : {}),
    resources: resources(c, path, out),
    ...mounts(c),
    ...(liveness ? { livenessProbe: liveness } : {}),
    ...(readiness ? { readinessProbe: readiness } : {}),
  };
}

/** One init container: ACI's init containers take no resources, ports or probes. */
export function initContainer(
  pod: V1Pod,
  c: V1Container,
  i: number,
  out: Collector,
  nodeName: string,
): InitContainerDefinition {
  const path = `spec.initContainers[${i}]`;
  unsupported(c, path, out);
  if ((c as { restartPolicy?: string }).restartPolicy === 'Always')
    out.reject(
      'LNT-INIT-003',
      `${path}.restartPolicy`,
      'Native sidecars (init containers with restartPolicy Always) have no ACI form.',
      'Make it a regular container.',
    );
  if (c.ports?.length) out.warn('LNT-INIT-002', `${path}.ports`, 'Init containers have no ports on ACI; left out.');
  if (c.resources?.requests || c.resources?.limits)
    out.warn(
      'LNT-INIT-002',
      `${path}.resources`,
      "Init containers take no resources on ACI; they share the group's. Left out.",
    );
  if (c.livenessProbe || c.readinessProbe || c.startupProbe)
    out.reject('LNT-INIT-002', path, 'Init containers cannot have probes.', 'Remove the probes.');
  const cmd = command(c, path, out);
  const vars = env(pod, c, path, out, nodeName);
  return {
    name: c.name,
    image: c.image ?? '',
    ...(cmd ? { command: cmd } : {}),
    ...(vars.length ? { environmentVariables: vars } : {}),
    ...mounts(c),
  };
}
