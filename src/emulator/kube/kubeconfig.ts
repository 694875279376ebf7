import { stringify } from 'yaml';

/** What a kubeconfig for the emulated API server is made of. */
export interface KubeconfigParts {
  url: string;
  /** CA certificate (PEM) that signed the server's certificate. */
  ca: string;
  token: string;
  clusterName: string;
  /** Context name (default: the cluster name, as `az aks get-credentials` does). */
  contextName?: string;
  /** User entry name (default `clusterUser_<cluster>`). */
  user?: string;
}

/** A kubeconfig (YAML) with one cluster, user and context, the context current and namespace `default`. */
export const kubeconfigYaml = (p: KubeconfigParts): string => {
  const context = p.contextName ?? p.clusterName;
  const user = p.user ?? `clusterUser_${p.clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: p.clusterName,
        cluster: { server: p.url, 'certificate-authority-data': Buffer.from(p.ca).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token: p.token } }],
    contexts: [{ name: context, context: { cluster: p.clusterName, user, namespace: 'default' } }],
    'current-context': context,
  });
};
