// pain.md §3.2: containers, commands, probes, lifecycle, security context, injected sidecars.
import { containersOf, list, obj, strings } from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { hit, nonEmpty, present, specAt } from './util.js';

const PROBES = ['livenessProbe', 'readinessProbe'] as const;

export const containerRules: PodRule[] = [
  {
    id: 'LNT-CMD-001',
    title: 'args without command',
    severity: { v1: 'fail' },
    help: 'ACI cannot run args without a command: the provider rejects the pod with "ACI does not support providing args without specifying the command".',
    evidence: 'azure-aci getContainers/verifyContainer; Azure/secrets-store-csi-driver-provider-azure#369',
    check(spec, ctx) {
      return containersOf(spec)
        .filter(({ container: c }) => nonEmpty(c.args) && !nonEmpty(c.command))
        .map(({ path, name }) =>
          hit(
            specAt(ctx, ...path, 'args'),
            `Container ${name} sets args without command; ACI rejects it ("ACI does not support providing args without specifying the command").`,
            "Set command to the image's ENTRYPOINT explicitly, followed by these args.",
          ),
        );
    },
  },
  {
    id: 'LNT-CMD-002',
    title: 'workingDir is ignored',
    severity: { v1: 'warn' },
    help: 'workingDir is not passed to ACI; the container starts in the image default directory.',
    evidence: 'azure-aci pkg/provider/aci.go (not mapped)',
    check(spec, ctx) {
      return containersOf(spec)
        .filter(({ container: c }) => typeof c.workingDir === 'string' && c.workingDir !== '')
        .map(({ path, name }) =>
          hit(
            specAt(ctx, ...path, 'workingDir'),
            `workingDir of container ${name} is not passed to ACI (ignored).`,
            'cd in the command instead (command: [sh, -c, "cd /dir && exec app"]), or set WORKDIR in the image.',
          ),
        );
    },
  },
  {
    id: 'LNT-LC-001',
    title: 'Container lifecycle hooks',
    severity: { v1: 'fail' },
    help: 'postStart and preStop hooks are not supported on v1 virtual nodes: provider 1.6.0 and later reject the pod ("ACI does not support lifecycle hooks"); older ones ignore the hooks.',
    evidence: 'azure-aci hasLifecycleHook (PR #548); AKS virtual-nodes.md',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec, 'main'))
        for (const hook of ['postStart', 'preStop'])
          if (present(obj(c.lifecycle)[hook]))
            out.push(
              hit(
                specAt(ctx, ...path, 'lifecycle', hook),
                `Container ${name} has a ${hook} hook; ACI does not support lifecycle hooks.`,
                'Remove the hook: run start-up work in the command, and handle SIGTERM in the process instead of preStop.',
              ),
            );
      return out;
    },
  },
  {
    id: 'LNT-PRB-001',
    title: 'Probe ACI cannot translate',
    severity: { v1: 'fail' },
    help: 'Only exec and httpGet liveness/readiness probes are translated ("probe must specify one of \\"exec\\" and \\"httpGet\\""); a named httpGet port must be one of the container\'s ports ("unable to find named port").',
    evidence: 'azure-aci getProbe',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec, 'main')) {
        const portNames = list(c.ports).map((p) => p.name);
        for (const probe of PROBES) {
          const p = obj(c[probe]);
          for (const kind of ['tcpSocket', 'grpc'])
            if (present(p[kind]))
              out.push(
                hit(
                  specAt(ctx, ...path, probe, kind),
                  `The ${probe} of container ${name} uses ${kind}; ACI only translates exec and httpGet probes.`,
                  `Use an httpGet or exec probe (for example exec: {command: [sh, -c, "nc -z localhost PORT"]}).`,
                ),
              );
          const port = obj(p.httpGet).port;
          if (typeof port === 'string' && !/^\d+$/.test(port) && !portNames.includes(port))
            out.push(
              hit(
                specAt(ctx, ...path, probe, 'httpGet', 'port'),
                `The ${probe} of container ${name} names port "${port}", which is not in the container's ports; ACI fails with "unable to find named port".`,
                `Use the port number, or add {name: ${port}, containerPort: N} to the container's ports.`,
              ),
            );
        }
      }
      return out;
    },
  },
  {
    id: 'LNT-PRB-002',
    title: 'startupProbe',
    severity: { v1: 'fail' },
    help: 'Provider 1.6.0 and later reject a startupProbe ("ACI does not support startupProbe").',
    evidence: 'azure-aci pkg/provider/aci.go',
    check(spec, ctx) {
      return containersOf(spec, 'main')
        .filter(({ container: c }) => present(c.startupProbe))
        .map(({ path, name }) =>
          hit(
            specAt(ctx, ...path, 'startupProbe'),
            `Container ${name} has a startupProbe; ACI does not support startupProbe.`,
            'Remove it and give the livenessProbe a longer initialDelaySeconds instead.',
          ),
        );
    },
  },
  {
    id: 'LNT-PRB-003',
    title: 'Probe fields ACI ignores',
    severity: { v1: 'warn' },
    help: 'Only the port, path and scheme of an httpGet probe are translated; host, httpHeaders and a probe-level terminationGracePeriodSeconds are dropped.',
    evidence: 'azure-aci getProbe (only port/path/scheme mapped)',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec, 'main'))
        for (const probe of [...PROBES, 'startupProbe']) {
          const p = obj(c[probe]);
          const fields: [string[], string][] = [
            [['httpGet', 'host'], 'httpGet.host'],
            [['httpGet', 'httpHeaders'], 'httpGet.httpHeaders'],
            [['terminationGracePeriodSeconds'], 'terminationGracePeriodSeconds'],
          ];
          for (const [rel, label] of fields) {
            const v = rel.length === 2 ? obj(p[rel[0]!])[rel[1]!] : p[rel[0]!];
            if (present(v))
              out.push(
                hit(
                  specAt(ctx, ...path, probe, ...rel),
                  `${label} in the ${probe} of container ${name} is ignored by the ACI translation.`,
                  'Drop it, or make the probe work without it (an exec probe can send headers with curl).',
                ),
              );
          }
        }
      return out;
    },
  },
  {
    id: 'LNT-SEC-001',
    title: 'securityContext is not translated',
    severity: { v1: 'warn' },
    help: 'No securityContext field reaches ACI: users, groups, fsGroup, seccomp, SELinux and sysctls are ignored, and privileged containers or added capabilities such as NET_ADMIN (istio-init) are not available (fail).',
    evidence: 'azure-aci (securityContext not mapped); ACI troubleshooting "run privileged containers"',
    check(spec, ctx) {
      const out: Hit[] = [];
      const podSc = obj(spec.securityContext);
      const podFields = [
        'runAsUser',
        'runAsGroup',
        'runAsNonRoot',
        'fsGroup',
        'supplementalGroups',
        'seccompProfile',
        'seLinuxOptions',
        'sysctls',
      ].filter((f) => present(podSc[f]));
      if (podFields.length)
        out.push(
          hit(
            specAt(ctx, 'securityContext'),
            `The pod securityContext (${podFields.join(', ')}) is not passed to ACI; the containers run with the image defaults.`,
            'Bake the user and file ownership into the image; do not rely on the securityContext on the virtual node.',
          ),
        );
      for (const { container: c, path, name } of containersOf(spec)) {
        const sc = obj(c.securityContext);
        if (sc.privileged === true)
          out.push(
            hit(
              specAt(ctx, ...path, 'securityContext', 'privileged'),
              `Container ${name} is privileged; ACI does not run privileged containers.`,
              'Run it on a VM node pool, or drop privileged.',
              'fail',
            ),
          );
        const adds = Array.isArray(obj(sc.capabilities).add) ? (obj(sc.capabilities).add as unknown[]).map(String) : [];
        adds.forEach((cap, i) => {
          if (['NET_ADMIN', 'SYS_ADMIN', 'ALL', 'NET_RAW'].includes(cap.toUpperCase().replace(/^CAP_/, '')))
            out.push(
              hit(
                specAt(ctx, ...path, 'securityContext', 'capabilities', 'add', i),
                `Container ${name} adds ${cap}; ACI grants no extra capabilities, so it fails (istio-init style containers need NET_ADMIN).`,
                'Run it on a VM node pool, or use a mesh mode without the init container (istio CNI).',
                'fail',
              ),
            );
        });
        const ignored = [
          'allowPrivilegeEscalation',
          'runAsUser',
          'runAsGroup',
          'runAsNonRoot',
          'readOnlyRootFilesystem',
          'seccompProfile',
          'seLinuxOptions',
          'procMount',
        ].filter((f) => present(sc[f]));
        if (ignored.length)
          out.push(
            hit(
              specAt(ctx, ...path, 'securityContext'),
              `The securityContext of container ${name} (${ignored.join(', ')}) is not passed to ACI.`,
              'Bake the user into the image (USER) and do not rely on these settings on the virtual node.',
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'LNT-MESH-001',
    title: 'Service-mesh sidecar injection',
    severity: { v1: 'warn', v2: 'warn' },
    help: 'Injected mesh sidecars and init containers need NET_ADMIN and add limits larger than requests; expect them to fail on ACI.',
    evidence: 'MicrosoftDocs/azure-docs#113892, #78032 [inferred]',
    check(spec, ctx) {
      const out: Hit[] = [];
      const checks: [Record<string, string>, 'annotations' | 'labels', string, string][] = [
        [ctx.podAnnotations, 'annotations', 'sidecar.istio.io/inject', 'true'],
        [ctx.podLabels, 'labels', 'sidecar.istio.io/inject', 'true'],
        [ctx.podAnnotations, 'annotations', 'linkerd.io/inject', 'enabled'],
      ];
      for (const [map, field, key, value] of checks)
        if (map[key] === value)
          out.push(
            hit(
              [...ctx.metaPath, field, key],
              `${key}: "${value}" injects a mesh sidecar that needs NET_ADMIN and adds limits > requests; expect failures on ACI.`,
              `Set ${key}: "${value === 'true' ? 'false' : 'disabled'}" on pods for the virtual node.`,
            ),
          );
      return out;
    },
    // Injection is also switched on for a whole namespace.
    related: {
      kinds: ['Namespace'],
      check(o, workloads) {
        const meta = obj(o.metadata);
        const name = String(meta.name ?? '');
        const inside = workloads.filter((w) => w.ref.namespace === name);
        if (inside.length === 0) return [];
        const names = inside.map((w) => `${w.ref.kind}/${w.ref.name}`).join(', ');
        const found: [string, string, string][] = [
          ['labels', 'istio-injection', 'enabled'],
          ['annotations', 'linkerd.io/inject', 'enabled'],
        ];
        return found
          .filter(([field, key, value]) => strings(meta[field])[key] === value)
          .map(([field, key]) =>
            hit(
              ['metadata', field, key],
              `Namespace ${name} injects mesh sidecars into its pods, including virtual-node workloads (${names}); they need NET_ADMIN and add limits > requests.`,
              `Opt the virtual-node pods out (sidecar.istio.io/inject: "false" / linkerd.io/inject: disabled on the pod template), or move them to another namespace.`,
            ),
          );
      },
    },
  },
  {
    id: 'LNT-DAPR-001',
    title: 'Dapr sidecar injection',
    severity: { v1: 'fail' },
    help: 'The Dapr sidecar reads status.podIP through the downward API, which the v1 provider rejects ("unsupported fieldPath"); the pod never starts.',
    evidence: 'dapr/dapr#2348; virtual-kubelet/azure-aci#148',
    check(_spec, ctx) {
      if (ctx.podAnnotations['dapr.io/enabled'] !== 'true') return [];
      return [
        hit(
          [...ctx.metaPath, 'annotations', 'dapr.io/enabled'],
          'dapr.io/enabled injects a sidecar that uses status.podIP (unsupported fieldPath on virtual nodes); the pod never starts.',
          'Do not enable Dapr on pods for the virtual node, or run them on a VM node pool.',
        ),
      ];
    },
  },
  {
    id: 'LNT-SHARE-001',
    title: 'shareProcessNamespace is not translated',
    severity: { v1: 'warn' },
    help: 'ACI container groups do not share a process namespace; the setting is ignored.',
    evidence: 'azure-aci (not mapped)',
    check(spec, ctx) {
      if (spec.shareProcessNamespace !== true) return [];
      return [
        hit(
          specAt(ctx, 'shareProcessNamespace'),
          'shareProcessNamespace is not translated to ACI; containers do not see each other’s processes.',
          'Remove it, or run this workload on a VM node pool.',
        ),
      ];
    },
  },
];
