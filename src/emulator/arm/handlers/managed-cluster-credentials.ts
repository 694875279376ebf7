import { ok } from '../context.js';
import { ArmError } from '../errors.js';
import type { ActionSpec, ActionRequest, HandlerContext } from '../handler.js';
import { parseArmPath } from '../ids.js';

/** Which credential a list action hands out: the user's or the admin's (named as `az aks get-credentials` names them). */
type Who = 'clusterUser' | 'clusterAdmin';

/**
 * POST listClusterUserCredential / listClusterAdminCredential: `{kubeconfigs: [{name, value}]}`, the value a
 * base64 kubeconfig for the cluster's emulated API server (its CA, a bearer token, `server: https://127.0.0.1:PORT`),
 * with cluster and context named after the cluster and user `<who>_<group>_<cluster>`, as AKS writes them.
 */
function credentials(who: Who, operation: string): ActionSpec {
  return {
    operation,
    async run({ resource }: ActionRequest, hctx: HandlerContext) {
      const kubeFor = hctx.services.kubeFor;
      if (kubeFor === undefined)
        return new ArmError(500, 'InternalServerError', 'This emulator runs no Kubernetes API servers.');
      const api = await kubeFor(resource.id);
      const p = parseArmPath(resource.id);
      const name = String(resource.body.name ?? p?.name);
      const kubeconfig = api.kubeconfig({ contextName: name, user: `${who}_${p?.resourceGroup ?? ''}_${name}` });
      return ok({ kubeconfigs: [{ name: who, value: Buffer.from(kubeconfig).toString('base64') }] });
    },
  };
}

/** The credential verbs of a managed cluster, keyed as the router matches them (the last path segment). */
export const credentialActions: Record<string, ActionSpec> = {
  listClusterUserCredential: credentials('clusterUser', 'ManagedClusters_ListClusterUserCredentials'),
  listClusterAdminCredential: credentials('clusterAdmin', 'ManagedClusters_ListClusterAdminCredentials'),
};
