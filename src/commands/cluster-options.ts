import type { Command } from 'commander';

/** --cluster and -g, which every cluster command takes. */
export function clusterOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--cluster <name>', 'the AKS cluster')
    .requiredOption('-g, --resource-group <name>', "the cluster's resource group");
}

/** --kubeconfig and --context, for commands that read the cluster's Kubernetes API. */
export function kubeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: KUBECONFIG, then ~/.kube/config; else credentials from Azure)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: the one pointing at the cluster)');
}

/** The kube options from commander's raw values, without undefined keys. */
export function kubeSelection(raw: Record<string, unknown>): { kubeconfig?: string; context?: string } {
  return {
    ...(raw.kubeconfig !== undefined ? { kubeconfig: String(raw.kubeconfig) } : {}),
    ...(raw.context !== undefined ? { context: String(raw.context) } : {}),
  };
}
