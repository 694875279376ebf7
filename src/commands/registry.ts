import type { CommandEntry } from './types.js';

/** Every command, listed cheaply; modules load only when their command runs. */
export const COMMANDS: CommandEntry[] = [
  {
    path: ['check-region'],
    summary: 'Which regions can host virtual-node pods (ACI with VNet, CPU/memory/GPU, quota, provider registration)',
    load: async () => (await import('./check-region.js')).command,
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
