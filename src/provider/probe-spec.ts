// The probe pod, pure: what `vnodes provider probe` deploys on the virtual node to test the data plane from inside
// ACI (research/pain.md VN-PROBE-001), in the manner of `cilium connectivity test`: a short-lived pod whose one
// container prints one line per step, which the probe then reads back from its log.
import type { V1Pod } from '@kubernetes/client-node';

/** The label every probe pod carries (its value: the probe's run id), so leftovers can be found and deleted. */
export const PROBE_LABEL = 'vnodes.io/probe';
/** Every result line starts with this word. */
export const PROBE_PREFIX = 'vnodes-probe';
/** An image with a shell, nslookup and wget, on MCR (reachable from most locked-down networks). */
export const DEFAULT_PROBE_IMAGE = 'mcr.microsoft.com/cbl-mariner/busybox:2.0';
export const DEFAULT_PROBE_REGISTRY = 'mcr.microsoft.com';
/** The env var that names the registry to reach (the emulator's probe image reads it too). */
const PROBE_REGISTRY_ENV = 'VNODES_PROBE_REGISTRY';

export interface ProbePodInput {
  name: string;
  namespace: string;
  nodeName: string;
  image: string;
  registry: string;
  runId: string;
}

/**
 * The script the container runs: each step prints `vnodes-probe <step> ok|fail <evidence>`. An HTTP answer of 200,
 * 401 or 403 means the server was reached (an anonymous request to the API server is usually 401 or 403; a registry's
 * `/v2/` is 401 without a token), anything else, or none, is a failure. busybox's wget prints the status line of an
 * error answer on stderr ("server returned error: HTTP/1.1 401 Unauthorized"), which `code` picks out.
 */
export const PROBE_SCRIPT = [
  `p() { echo "${PROBE_PREFIX} $*"; }`,
  `code() { wget -q -S -T 5 -O /dev/null --no-check-certificate "$1" 2>&1 | grep -o 'HTTP/[0-9.]* [0-9]*' | tail -n 1 | awk '{print $2}'; }`,
  `reach() { c=$(code "$2"); case "$c" in 200|401|403) p "$1" ok "$c";; '') p "$1" fail unreachable;; *) p "$1" fail "$c";; esac; }`,
  `p start "$(hostname)"`,
  // The answer's address, after the `Name:` line (the lines before it are the DNS server's own), in either busybox
  // format ("Address: 10.0.0.1" or "Address 1: 10.0.0.1 kubernetes.default.svc.cluster.local").
  `ip=$(nslookup kubernetes.default.svc 2>/dev/null | awk '/^Name:/ {n=1; next} n && /^Address/ {for (i = 2; i <= NF; i++) if ($i ~ /^[0-9.]+$/) a = $i} END {print a}')`,
  `if [ -n "$ip" ]; then p dns ok "$ip"; else p dns fail no-answer; fi`,
  `reach apiserver "https://\${KUBERNETES_SERVICE_HOST:-kubernetes.default.svc}:\${KUBERNETES_SERVICE_PORT:-443}/version"`,
  `reach registry "https://\${${PROBE_REGISTRY_ENV}}/v2/"`,
  `p done`,
].join('\n');

const QUANTITY = { cpu: '500m', memory: '512Mi' };

/** The probe pod: 0.5 CPU / 0.5Gi (limits = requests), on the virtual node, tolerating its taint, run once. */
export function probePod(input: ProbePodInput): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels: { [PROBE_LABEL]: input.runId, 'app.kubernetes.io/managed-by': 'vnodes' },
    },
    spec: {
      restartPolicy: 'Never',
      nodeSelector: { 'kubernetes.io/hostname': input.nodeName, type: 'virtual-kubelet' },
      tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        {
          name: 'probe',
          image: input.image,
          command: ['/bin/sh', '-c'],
          args: [PROBE_SCRIPT],
          env: [{ name: PROBE_REGISTRY_ENV, value: input.registry }],
          resources: { requests: { ...QUANTITY }, limits: { ...QUANTITY } },
        },
      ],
    },
  };
}

/** A unique, valid pod name for one probe run. */
export const probePodName = (runId: string): string => `vnodes-probe-${runId}`.slice(0, 63);
