// What vnodes' probe image (`emulator/probe`) prints in the emulated ACI: one `vnodes-probe <step> ok|fail …` line per
// step, each derived from the emulated network, never from flags in the probe itself.
//
// - The API server: unreachable when the cluster has authorized IP ranges (ACI's outbound addresses are not in them;
//   AKS docs: the virtual nodes add-on is not supported with authorized IP ranges) or when the group's subnet has an
//   NSG whose first outbound rule for the Internet denies it.
// - DNS: a virtual-node pod resolves cluster names through kube-dns's ClusterIP, which ACI's kube-proxy sidecar
//   programs from the API server: no API server, no ClusterIP, no DNS (research/pain.md P10/P11). An NSG denying all
//   outbound (`*`) blocks it too.
// - The registry: reached when it is one the emulated cloud knows (images.ts) and outbound Internet is allowed.
import { reachableRegistry } from './images.js';

/** What the emulated network looks like from the probe's container group. */
export interface ProbeNetwork {
  /** `kubernetes.default.svc`'s ClusterIP (the first address of the service CIDR). */
  kubernetesIp: string;
  authorizedIpRanges: boolean;
  /** Outbound to the Internet (`Internet`, `*` or `0.0.0.0/0`) denied by the subnet's NSG. */
  internetDenied: boolean;
  /** Outbound to everything, the VNet included, denied. */
  allDenied: boolean;
  registry: string;
}

/** The lines the probe prints, in order. */
export function probeLines(net: ProbeNetwork, hostname: string): string[] {
  const api = !net.authorizedIpRanges && !net.internetDenied && !net.allDenied;
  const registry = !net.internetDenied && !net.allDenied && reachableRegistry(`${net.registry}/probe`);
  return [
    `vnodes-probe start ${hostname}`,
    api ? `vnodes-probe dns ok ${net.kubernetesIp}` : 'vnodes-probe dns fail no-answer',
    api ? 'vnodes-probe apiserver ok 401' : 'vnodes-probe apiserver fail unreachable',
    registry ? 'vnodes-probe registry ok 401' : 'vnodes-probe registry fail unreachable',
    'vnodes-probe done',
  ];
}

/** The first address of a CIDR (`10.0.0.0/16` → `10.0.0.1`), as Kubernetes gives the `kubernetes` service. */
export function firstServiceIp(cidr: string): string {
  const [ip = '10.0.0.0'] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

interface Rule {
  direction?: string;
  access?: string;
  priority?: number;
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
}

const INTERNET = new Set(['internet', '*', '0.0.0.0/0']);

/**
 * Whether an NSG's outbound rules deny the Internet and everything: the rule with the lowest priority number that
 * covers the destination decides, as Azure evaluates them; the default rules (AllowVnetOutBound 65000,
 * AllowInternetOutBound 65001) allow both.
 */
export function nsgOutbound(rules: readonly Rule[]): { internetDenied: boolean; allDenied: boolean } {
  const outbound = rules
    .filter((r) => String(r.direction ?? '').toLowerCase() === 'outbound')
    .sort((a, b) => (a.priority ?? 4096) - (b.priority ?? 4096));
  const prefixes = (r: Rule) =>
    [r.destinationAddressPrefix, ...(r.destinationAddressPrefixes ?? [])].map((p) => String(p ?? '').toLowerCase());
  const decide = (covers: (p: string) => boolean): boolean =>
    String(outbound.find((r) => prefixes(r).some(covers))?.access ?? 'Allow').toLowerCase() === 'deny';
  return {
    internetDenied: decide((p) => INTERNET.has(p)),
    allDenied: decide((p) => p === '*' || p === 'virtualnetwork'),
  };
}
