import type { Command } from 'commander';
import { assertName, assertNotEmptyFlag } from '../azure/names.js';

/** --cluster and -g, which every cluster command takes. */
export function clusterOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--cluster <name>', 'the AKS cluster')
    .requiredOption('-g, --resource-group <name>', "the cluster's resource group");
}

/** --cluster and -g from commander's raw values, checked against Azure's naming rules before any call (exit 2). */
export function clusterSelection(raw: Record<string, unknown>): { cluster: string; resourceGroup: string } {
  return {
    cluster: assertName('cluster', String(raw.cluster ?? ''), '--cluster'),
    resourceGroup: assertName('resource group', String(raw.resourceGroup ?? ''), '--resource-group'),
  };
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

/** The kube options from commander's raw values, without undefined keys; an empty value is refused (exit 2). */
export function kubeSelection(raw: Record<string, unknown>): { kubeconfig?: string; context?: string } {
  const kubeconfig = assertNotEmptyFlag(
    raw.kubeconfig === undefined ? undefined : String(raw.kubeconfig),
    '--kubeconfig',
    '~/.kube/config',
  );
  const context = assertNotEmptyFlag(
    raw.context === undefined ? undefined : String(raw.context),
    '--context',
    'aks-demo',
  );
  return { ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) };
}
