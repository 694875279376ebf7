// pain.md §3.6: init containers, hostAliases, DNS.
import { containersOf, obj } from '../pod.js';
import type { Hit, PodRule } from '../types.js';
import { hit, nonEmpty, present, specAt } from './util.js';

const INIT_FORBIDDEN: [string[], string][] = [
  [['ports'], 'ports'],
  [['resources', 'requests'], 'resources requests'],
  [['resources', 'limits'], 'resources limits'],
  [['livenessProbe'], 'livenessProbe'],
  [['readinessProbe'], 'readinessProbe'],
  [['startupProbe'], 'startupProbe'],
  [['lifecycle'], 'lifecycle hooks'],
];

export const initDnsRules: PodRule[] = [
  {
    id: 'LNT-INIT-001',
    title: 'Init containers',
    severity: { v1: 'warn' },
    help: 'The AKS docs list init containers as unsupported on virtual nodes; connectors from 1.4.8 run them, with the restrictions of LNT-INIT-002.',
    evidence: 'AKS virtual-nodes.md; azure-aci feature flag init-container (1.4.8)',
    check(spec, ctx) {
      if (!nonEmpty(spec.initContainers)) return [];
      return [
        hit(
          specAt(ctx, 'initContainers'),
          'The AKS docs list init containers as unsupported on virtual nodes; newer connectors run them with restrictions.',
          'Check the connector version (vnodes doctor), or move the start-up work into the main container.',
        ),
      ];
    },
  },
  {
    id: 'LNT-INIT-002',
    title: 'Init container field ACI rejects',
    severity: { v1: 'fail' },
    help: 'ACI init containers cannot have ports, resource requests or limits, probes or lifecycle hooks ("azure container instances initContainers do not support ...").',
    evidence: 'azure-aci getInitContainers',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const { container: c, path, name } of containersOf(spec, 'init'))
        for (const [rel, label] of INIT_FORBIDDEN) {
          const v = rel.length === 2 ? obj(c[rel[0]!])[rel[1]!] : c[rel[0]!];
          if (
            present(v) &&
            !(Array.isArray(v) && v.length === 0) &&
            !(rel[0] === 'resources' && Object.keys(obj(v)).length === 0)
          )
            out.push(
              hit(
                specAt(ctx, ...path, ...rel),
                `Init container ${name} sets ${rel.join('.')}; "azure container instances initContainers do not support ${label}".`,
                `Remove ${rel.join('.')} from the init container.`,
              ),
            );
        }
      return out;
    },
  },
  {
    id: 'LNT-INIT-003',
    title: 'Native sidecar (init container with restartPolicy: Always)',
    severity: { v1: 'fail' },
    help: 'Native sidecar containers (an init container with restartPolicy: Always) are not translated: the provider runs them as plain init containers, which never finish.',
    evidence: 'azure-aci (field not read) [inferred]',
    check(spec, ctx) {
      return containersOf(spec, 'init')
        .filter(({ container: c }) => c.restartPolicy === 'Always')
        .map(({ path, name }) =>
          hit(
            specAt(ctx, ...path, 'restartPolicy'),
            `Init container ${name} is a native sidecar (restartPolicy: Always), which virtual nodes do not translate.`,
            'Run the sidecar as a regular container in containers.',
          ),
        );
    },
  },
  {
    id: 'LNT-HA-001',
    title: 'hostAliases',
    severity: { v1: 'warn' },
    help: 'hostAliases are not supported on v1 virtual nodes (ignored); Virtual Nodes v2 supports them.',
    evidence: 'AKS virtual-nodes.md; virtual-nodes-v2.md',
    check(spec, ctx) {
      if (!nonEmpty(spec.hostAliases)) return [];
      return [
        hit(
          specAt(ctx, 'hostAliases'),
          'hostAliases are ignored on v1 virtual nodes.',
          'Use DNS records (a private DNS zone) instead, or Virtual Nodes v2.',
        ),
      ];
    },
  },
  {
    id: 'LNT-DNS-001',
    title: 'dnsPolicy: Default',
    severity: { v1: 'warn' },
    help: 'With dnsPolicy Default no DNS configuration is passed, so ACI uses Azure DNS: custom DNS servers of the VNet are not inherited.',
    evidence: 'azure-aci getDNSConfig; ACI VNet doc',
    check(spec, ctx) {
      if (spec.dnsPolicy !== 'Default') return [];
      return [
        hit(
          specAt(ctx, 'dnsPolicy'),
          'dnsPolicy: Default gives the ACI pod Azure DNS, not the VNet custom DNS servers.',
          'Use ClusterFirst, or set dnsPolicy: None with dnsConfig.nameservers.',
        ),
      ];
    },
  },
  {
    id: 'LNT-DNS-002',
    title: 'Too many nameservers or search domains',
    severity: { v1: 'warn' },
    help: 'The provider truncates DNS settings the way kubelet does: at most 3 nameservers (kube-dns included) and 6 search domains of 256 characters in total ("Nameserver limits were exceeded").',
    evidence: 'azure-aci getDNSConfig',
    check(spec, ctx) {
      const cfg = obj(spec.dnsConfig);
      const clusterFirst = spec.dnsPolicy === undefined || spec.dnsPolicy === 'ClusterFirst';
      const out: Hit[] = [];
      const servers = Array.isArray(cfg.nameservers) ? cfg.nameservers.length : 0;
      if (servers + (clusterFirst ? 1 : 0) > 3)
        out.push(
          hit(
            specAt(ctx, 'dnsConfig', 'nameservers'),
            `${servers} nameservers${clusterFirst ? ' plus kube-dns' : ''} exceed the limit of 3; the extra ones are dropped.`,
            'Keep at most 3 nameservers in total.',
          ),
        );
      const searches = Array.isArray(cfg.searches) ? cfg.searches.map(String) : [];
      const implicit = clusterFirst ? 3 : 0;
      if (searches.length + implicit > 6 || searches.join(' ').length > 256)
        out.push(
          hit(
            specAt(ctx, 'dnsConfig', 'searches'),
            `The search list (${searches.length}${implicit ? ' + 3 cluster domains' : ''}) exceeds 6 domains or 256 characters; it is truncated.`,
            'Shorten the search list.',
          ),
        );
      return out;
    },
  },
  {
    id: 'LNT-DNS-003',
    title: 'hostname, subdomain or StatefulSet serviceName',
    severity: { v1: 'warn' },
    help: 'hostname and subdomain are not translated, so per-pod DNS names through a headless service (StatefulSets) may not resolve inside ACI.',
    evidence: 'azure-aci (not mapped) [inferred]',
    check(spec, ctx) {
      const out: Hit[] = [];
      for (const f of ['hostname', 'subdomain'])
        if (typeof spec[f] === 'string' && spec[f] !== '')
          out.push(
            hit(
              specAt(ctx, f),
              `${f} is not translated to ACI; per-pod DNS names may not resolve.`,
              'Address the pods through a Service instead of per-pod DNS names.',
            ),
          );
      const serviceName = obj(ctx.object.spec).serviceName;
      if (ctx.ownerKind === 'StatefulSet' && typeof serviceName === 'string' && serviceName !== '')
        out.push(
          hit(
            ['spec', 'serviceName'],
            `StatefulSet pods get hostname and subdomain for ${serviceName}, which ACI does not apply; per-pod DNS names (${String(obj(ctx.object.metadata).name ?? 'pod')}-0.${serviceName}) may not resolve.`,
            'Address the pods through a Service instead of per-pod DNS names.',
          ),
        );
      return out;
    },
  },
];
