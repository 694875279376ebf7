import type { Command } from 'commander';
import { assertName } from '../azure/names.js';
import { UsageError } from '../errors.js';
import { DEFAULT_SUBNET_PREFIX_LENGTH, PREFIX_LENGTH_RANGE } from '../network/plan.js';
import { integer, nonEmpty } from './parse.js';

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

/** The kube options from commander's raw values, without undefined keys. */
export function kubeSelection(raw: Record<string, unknown>): { kubeconfig?: string; context?: string } {
  return {
    ...(raw.kubeconfig !== undefined
      ? { kubeconfig: nonEmpty('--kubeconfig', raw.kubeconfig, { example: '~/.kube/config' }) }
      : {}),
    ...(raw.context !== undefined ? { context: nonEmpty('--context', raw.context, { example: 'aks-demo' }) } : {}),
  };
}

/** --prefix-length: the size of a subnet vnodes picks, strictly a whole number in Azure's range for it. */
export function prefixLength(value: unknown): number {
  return integer('--prefix-length', value, PREFIX_LENGTH_RANGE, {
    fix: `Pass --prefix-length ${DEFAULT_SUBNET_PREFIX_LENGTH} (251 usable addresses), or choose the range with --cidr.`,
    code: 'VNODES_INVALID_PREFIX_LENGTH',
  });
}

// Kubernetes namespaces are DNS-1123 labels: 1-63 lower-case letters, digits and '-', starting and ending with a
// letter or digit (kubernetes.io/docs/concepts/overview/working-with-objects/names). An empty one addressed the
// wrong path on the API server.
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** --namespace, checked before any call (exit 2). */
export function namespaceOption(value: unknown): string {
  const text = nonEmpty('--namespace', value, { example: 'default' });
  if (!NAMESPACE.test(text))
    throw new UsageError(
      `--namespace "${text.length > 60 ? `${text.slice(0, 60)}…` : text}" is not a Kubernetes namespace name: 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit.`,
      'Pass e.g. --namespace default (kubectl get namespaces lists them).',
      'VNODES_INVALID_NAMESPACE',
    );
  return text;
}
