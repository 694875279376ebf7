import type { CommandEntry } from './types.js';

/** Every command, listed cheaply; modules load only when their command runs. */
export const COMMANDS: CommandEntry[] = [
  {
    path: ['check-region'],
    summary: 'Which regions can host virtual-node pods (ACI with VNet, CPU/memory/GPU, quota, provider registration)',
    load: async () => (await import('./check-region.js')).command,
  },
  {
    path: ['check-network'],
    summary:
      'Network prerequisites on a cluster: plugin, IP families, API access, VNet, ACI subnet, egress, CIDR overlap',
    load: async () => (await import('./check-network.js')).command,
  },
  {
    path: ['subnet', 'create'],
    summary:
      'Create or adopt the ACI subnet in the cluster VNet, delegated to Microsoft.ContainerInstance/containerGroups',
    load: async () => (await import('./subnet-create.js')).command,
  },
  {
    path: ['enable'],
    summary: 'Turn virtual nodes on end to end: preflight, subnet, add-on, role for its identity, wait for the node',
    load: async () => (await import('./enable.js')).command,
  },
  {
    path: ['disable'],
    summary: 'Turn virtual nodes off and remove what enable created (role assignment; subnet with --delete-subnet)',
    load: async () => (await import('./disable.js')).command,
  },
  {
    path: ['status'],
    summary: 'Add-on, identity, subnet, role, virtual node, connector pod, pods and container groups on one screen',
    load: async () => (await import('./status.js')).command,
  },
  {
    path: ['doctor'],
    summary:
      'Find every known reason virtual nodes fail: evidence, cause and the exact fix (--fix applies the safe ones)',
    load: async () => (await import('./doctor.js')).command,
  },
  {
    path: ['lint'],
    summary: 'Catch workloads that cannot run on a virtual node, in manifests or on a cluster, with file:line:col',
    load: async () => (await import('./lint.js')).command,
  },
  {
    path: ['provider', 'run'],
    summary: 'Run the embedded virtual-kubelet ACI provider in the foreground, printing each step',
    load: async () => (await import('./provider-run.js')).command,
  },
  {
    path: ['provider', 'translate'],
    summary: 'The container group the provider would create for a Pod or workload, with warnings and rejections',
    load: async () => (await import('./provider-translate.js')).command,
  },
  {
    path: ['provider', 'logs'],
    summary: "A virtual-node pod's container logs through ARM (-f follows without repeating lines)",
    load: async () => (await import('./provider-logs.js')).command,
  },
  {
    path: ['provider', 'probe'],
    summary:
      'Test the data plane from inside ACI: a short-lived pod on the virtual node checks DNS, the API server and a registry',
    load: async () => (await import('./provider-probe.js')).command,
  },
  {
    path: ['emulator', 'start'],
    summary: 'Run the offline Azure Resource Manager emulator and print how to point vnodes at it',
    load: async () => (await import('./emulator-start.js')).command,
  },
  {
    path: ['demo'],
    summary: 'The first-run demo: start the emulator in-process and run vnodes against it',
    load: async () => (await import('./demo.js')).command,
  },
];

/** Group summaries for parent words such as `emulator` and `subnet`. */
export const GROUPS: Record<string, string> = {
  emulator: 'The offline Azure Resource Manager and Kubernetes emulator',
  subnet: 'The subnet delegated to Azure Container Instances',
  provider: 'The embedded virtual-kubelet ACI provider',
};
