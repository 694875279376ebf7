// The catalog's INFO rows (pain.md §3): behaviour that differs on ACI but rarely breaks a workload. Reported as
// `info`, which never changes the exit code.
import { containersOf, list, obj } from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { registryHost } from './identity.js';
import { hit, nonEmpty, specAt } from './util.js';

const HOSTNAME = 'kubernetes.io/hostname';
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export const infoRules: PodRule[] = [
  {
    id: 'LNT-SCH-007',
    title: 'Spread or anti-affinity by hostname',
    severity: { v1: 'info', v2: 'info' },
    help: "Every ACI pod of a virtual node shares that node's name, so required anti-affinity on kubernetes.io/hostname allows one replica there and a hostname spread is meaningless.",
    evidence: '[inferred] one node name for all ACI pods',
    check(spec, ctx) {
      const out: Hit[] = [];
      const anti = obj(obj(spec.affinity).podAntiAffinity);
      list(anti.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
        if (t.topologyKey === HOSTNAME)
          out.push(
            hit(
              specAt(
                ctx,
                'affinity',
                'podAntiAffinity',
                'requiredDuringSchedulingIgnoredDuringExecution',
                i,
                'topologyKey',
              ),
              'Required anti-affinity on kubernetes.io/hostname: the virtual node is one hostname, so only one replica can run there.',
              'Use a preferred term, or a zone topology key.',
            ),
          );
      });
      list(spec.topologySpreadConstraints).forEach((t, i) => {
        if (t.topologyKey === HOSTNAME)
          out.push(
            hit(
              specAt(ctx, 'topologySpreadConstraints', i, 'topologyKey'),
              'A spread over kubernetes.io/hostname counts every ACI pod on one node.',
              'Spread over topology.kubernetes.io/zone instead, or accept the skew on the virtual node.',
            ),
          );
      });
      return out;
    },
  },
  {
    id: 'LNT-SCH-008',
    title: 'Ephemeral containers (kubectl debug)',
    severity: { v1: 'info', v2: 'info' },
    help: 'Virtual nodes do not support port-forward, and exec has restrictions (v1: no arguments); kubectl debug ephemeral containers are not run.',
    evidence: 'azure-aci ("Port Forward is not supported"); virtual-kubelet/azure-aci#418',
    check(spec, ctx) {
      if (!nonEmpty(spec.ephemeralContainers)) return [];
      return [
        hit(
          specAt(ctx, 'ephemeralContainers'),
          'Ephemeral containers are not run on virtual nodes (and port-forward is not supported).',
          'Debug with kubectl logs, or a copy of the pod on a VM node (kubectl debug --copy-to).',
        ),
      ];
    },
  },
  {
    id: 'LNT-RP-001',
    title: 'restartPolicy Never or OnFailure',
    severity: { v1: 'info', v2: 'info' },
    help: "ACI restart semantics differ from kubelet's: a container that exits non-zero may still be restarted, and exit codes may not show in kubectl describe.",
    evidence: 'ACI troubleshooting doc; virtual-kubelet/azure-aci#417',
    check(spec, ctx) {
      if (spec.restartPolicy !== 'Never' && spec.restartPolicy !== 'OnFailure') return [];
      return [
        hit(
          specAt(ctx, 'restartPolicy'),
          `restartPolicy ${String(spec.restartPolicy)} is mapped to ACI's own restart policy, whose behaviour differs (a failed container may restart; exit codes may be missing).`,
          'Have the job report its result itself (logs, a status file), rather than relying on the exit code.',
        ),
      ];
    },
  },
  {
    id: 'LNT-ENV-003',
    title: 'Empty env value is dropped',
    severity: { v1: 'info' },
    help: 'azure-aci passes only non-empty values (`if e.Value != ""`): a variable set to "" is unset in the container.',
    evidence: 'azure-aci getContainers',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec))
        list(c.env).forEach((e, i) => {
          if (e.value === '' && e.valueFrom === undefined)
            out.push(
              hit(
                specAt(ctx, ...path, 'env', i, 'value'),
                `Env ${String(e.name)} of container ${name} is "", which ACI drops: the variable is unset.`,
                'Let the app treat unset like empty, or give it a value.',
              ),
            );
        });
      return out;
    },
  },
  {
    id: 'LNT-VOL-009',
    title: 'emptyDir medium or sizeLimit is ignored',
    severity: { v1: 'info' },
    help: 'An emptyDir becomes a plain ACI emptyDir: medium: Memory (tmpfs) and sizeLimit are ignored.',
    evidence: 'azure-aci getVolumes',
    check(spec, ctx) {
      const out: Hit[] = [];
      list(spec.volumes).forEach((v, i) => {
        const e = obj(v.emptyDir);
        for (const f of ['medium', 'sizeLimit'])
          if (e[f] !== undefined && e[f] !== '')
            out.push(
              hit(
                specAt(ctx, 'volumes', i, 'emptyDir', f),
                `${f} of emptyDir ${String(v.name)} is ignored on ACI (a plain disk-backed emptyDir).`,
                'Do not rely on tmpfs or a size limit there.',
              ),
            );
      });
      return out;
    },
  },
  {
    id: 'LNT-VOL-010',
    title: 'gitRepo volume',
    severity: { v1: 'info' },
    help: 'gitRepo volumes work on ACI, but Kubernetes deprecated them.',
    evidence: 'azure-aci getVolumes',
    check(spec, ctx) {
      const out: Hit[] = [];
      list(spec.volumes).forEach((v, i) => {
        if (v.gitRepo !== undefined)
          out.push(
            hit(
              specAt(ctx, 'volumes', i, 'gitRepo'),
              `Volume ${String(v.name)} is a gitRepo volume: it works on ACI but is deprecated in Kubernetes.`,
              'Clone in an init step into an emptyDir instead.',
            ),
          );
      });
      return out;
    },
  },
  {
    id: 'LNT-IMG-003',
    title: 'Anonymous Docker Hub pull',
    severity: { v1: 'info', v2: 'info' },
    help: "Anonymous pulls from Docker Hub share ACI's egress addresses and can hit its rate limits (RegistryErrorResponse).",
    evidence: 'ACI docker-hub-rate-limit support article',
    check(spec, ctx) {
      if (nonEmpty(spec.imagePullSecrets)) return [];
      return containersOf(spec)
        .filter(
          ({ container: c }) =>
            typeof c.image === 'string' &&
            c.image !== '' &&
            (registryHost(c.image) === undefined || DOCKER_HUB.has(registryHost(c.image)!)),
        )
        .map(({ container: c, path, name }) =>
          hit(
            specAt(ctx, ...path, 'image'),
            `Container ${name} pulls ${String(c.image)} from Docker Hub anonymously; ACI pulls can hit Docker Hub rate limits.`,
            'Mirror the image into your ACR (az acr import), or add Docker Hub credentials as imagePullSecrets.',
          ),
        );
    },
  },
  {
    id: 'LNT-IMG-004',
    title: 'imagePullPolicy is not translated',
    severity: { v1: 'info' },
    help: 'ACI decides when to pull; imagePullPolicy is not passed to it.',
    evidence: 'azure-aci (not mapped)',
    check(spec, ctx) {
      return containersOf(spec)
        .filter(({ container: c }) => typeof c.imagePullPolicy === 'string')
        .map(({ container: c, path, name }) =>
          hit(
            specAt(ctx, ...path, 'imagePullPolicy'),
            `imagePullPolicy ${String(c.imagePullPolicy)} of container ${name} is not passed to ACI.`,
            'Use immutable tags or digests, so what runs does not depend on when ACI pulls.',
          ),
        );
    },
  },
];
