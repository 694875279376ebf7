// Doctor's loaders for the registry (VN-ACR-001) and service principal (VN-SP-001) facts. Each reads only when the
// facts before it say there is something to judge: the referenced pull secrets (one GET each), the subscription's
// registries (one list) when a workload pulls from ACR, v2's AcrPull grants on those registries, and Graph for a
// service principal cluster.
import type { AzureContext } from '../azure/context.js';
import { readRoleDefinition } from '../azure/doctor-reads.js';
import { readApplicationSecrets } from '../azure/graph.js';
import { listRegistries } from '../azure/registries.js';
import { listRoleAssignments } from '../azure/role-assignments.js';
import type { Grant } from '../checks/doctor-facts.js';
import type { FactGetter, FactLoaders } from '../checks/facts.js';
import { acrTargetsOf } from '../checks/pods/target.js';
import { AzureError } from '../errors.js';
import type { DoctorKubeReader } from '../kube/doctor-reads.js';

const SIGN_IN = /AADSTS7000222|AADSTS7000215|invalid_client/i;
const V2_EXTENSION = 'microsoft.virtualnodes';

const targetsOf = async (get: FactGetter) => {
  const [kubePods, kubeNodes, kubeDeployments, kubeServiceAccounts] = await Promise.all([
    get('kubePods'),
    get('kubeNodes'),
    get('kubeDeployments'),
    get('kubeServiceAccounts'),
  ]);
  return acrTargetsOf({ kubePods, kubeNodes, kubeDeployments, kubeServiceAccounts });
};

/** The loaders; `kube` opens the run's one Kubernetes reader. */
export function registryLoaders(
  azure: AzureContext,
  kube: (get: FactGetter) => Promise<DoctorKubeReader>,
): FactLoaders {
  return {
    pullSecrets: async (get) => {
      const [reader, targets] = await Promise.all([kube(get), targetsOf(get)]);
      const wanted = new Map(
        targets.flatMap((t) => t.secrets.map((s) => [`${t.namespace}/${s.name}`, { ns: t.namespace, name: s.name }])),
      );
      return Promise.all([...wanted.values()].map((s) => reader.pullSecret(s.ns, s.name)));
    },
    containerRegistries: async (get) => ((await targetsOf(get)).length ? listRegistries(azure) : []),
    acrPullGrants: async (get) => {
      const [stack, extensions] = await Promise.all([get('stack'), get('clusterExtensions')]);
      if (stack.primary !== 'v2-extension' && stack.primary !== 'v2-helm') return { byRegistry: {} };
      const principalId = extensions.find((e) => e.extensionType.toLowerCase() === V2_EXTENSION)?.identityPrincipalId;
      const targets = (await targetsOf(get)).filter((t) => !t.secrets.length);
      if (!principalId || !targets.length) return { ...(principalId ? { principalId } : {}), byRegistry: {} };
      const hosts = new Set(targets.flatMap((t) => t.hosts));
      const registries = (await get('containerRegistries')).filter((r) => hosts.has(r.loginServer));
      const byRegistry = Object.fromEntries(
        await Promise.all(registries.map(async (r) => [r.id, await grantsAt(azure, r.id, principalId)] as const)),
      );
      return { principalId, byRegistry };
    },
    servicePrincipalSecrets: async (get) => {
      const appId = (await get('cluster')).servicePrincipalProfile?.clientId;
      if (!appId || appId.toLowerCase() === 'msi') return { signInErrors: [] };
      const logs = get('connectorLogs').catch(() => []);
      const signInErrors = (await logs)
        .flatMap((l) => `${l.previous ?? ''}\n${l.current ?? ''}`.split('\n'))
        .filter((line) => SIGN_IN.test(line))
        .slice(-3);
      try {
        const application = await readApplicationSecrets(azure, appId);
        return { appId, ...(application ? { application } : {}), signInErrors };
      } catch (error) {
        // Graph's 403 is a missing directory permission, not a broken cluster: the check says which and skips.
        if (error instanceof AzureError && (error.arm.statusCode === 403 || error.arm.statusCode === 401))
          return {
            appId,
            unreadable: `Microsoft Graph refused (${error.arm.armCode}): missing permission Application.Read.All`,
            signInErrors,
          };
        throw error;
      }
    },
  };
}

/** The principal's role assignments at or above a registry, their roles' actions expanded. */
async function grantsAt(azure: AzureContext, scope: string, principalId: string): Promise<Grant[]> {
  const assignments = (await listRoleAssignments(azure, scope, principalId)).filter(
    (a) => a.principalId?.toLowerCase() === principalId.toLowerCase(),
  );
  return Promise.all(
    assignments.map(async (a) => {
      const role = await readRoleDefinition(azure, a.roleDefinitionId ?? '');
      return {
        ...(a.id ? { id: a.id } : {}),
        scope: a.scope ?? '',
        roleDefinitionId: a.roleDefinitionId ?? '',
        roleName: role.roleName ?? a.roleDefinitionId?.split('/').pop() ?? '',
        actions: role.actions,
        notActions: role.notActions,
      };
    }),
  );
}
