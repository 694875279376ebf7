// The facts of doctor's policy checks (VN-POL-001, VN-POL-002). Azure Policy definitions and the Activity Log are
// optional reads: a 403 (or any ARM failure) becomes `unreadable` with the reason, so the check says that part was
// skipped instead of failing or hiding what it could read. Each definition is read once, all in parallel; a set's
// members are read in a second round.
import type { AzureContext } from '../azure/context.js';
import { listFailedActivity, readPolicyDefinition } from '../azure/doctor-reads.js';
import type { PolicyDefinitionFact } from '../checks/doctor-facts.js';
import { describeFailure, type FactGetter, type FactKey, type FactLoaders } from '../checks/facts.js';
import { enforcedOver } from '../checks/policy/azure-rules.js';
import { AzureError } from '../errors.js';
import type { DoctorKubeReader } from '../kube/doctor-reads.js';
import { clusterVnetId } from '../network/facts.js';

/** How far back the Activity Log is read. */
const ACTIVITY_DAYS = 7;

/** Why an optional read failed, for the check's evidence; anything but an ARM failure is a real error. */
function unreadable(fact: FactKey, error: unknown): string {
  if (!(error instanceof AzureError)) throw error;
  const failure = describeFailure(fact, error);
  if (failure.permission) return `missing permission ${failure.permission}`;
  return `${error.arm.armCode ?? `HTTP ${error.arm.statusCode}`}: ${error.message}`;
}

/** The policy loaders of one run. */
export function policyLoaders(
  azure: AzureContext,
  kubeReader: (get: FactGetter) => Promise<DoctorKubeReader>,
): Pick<FactLoaders, 'policyDefinitions' | 'activityLog' | 'admissionPolicies'> {
  return {
    policyDefinitions: async (get) => {
      const [cluster, assigned] = await Promise.all([get('cluster'), get('policyAssignments')]);
      const vnet = clusterVnetId(cluster) ?? (await get('network')).vnetId;
      const scopes = [
        ...(cluster.nodeResourceGroup
          ? [`/subscriptions/${azure.subscriptionId}/resourceGroups/${cluster.nodeResourceGroup}`]
          : []),
        ...(vnet ? [vnet.split('/providers/')[0]!] : []),
      ].filter((s, i, all) => all.findIndex((o) => o.toLowerCase() === s.toLowerCase()) === i);
      if (assigned.unreadable) return { scopes, definitions: [], unreadable: `assignments: ${assigned.unreadable}` };
      const reasons: string[] = [];
      const read = async (ids: string[]): Promise<PolicyDefinitionFact[]> => {
        const unique = [...new Map(ids.filter(Boolean).map((id) => [id.toLowerCase(), id])).values()];
        const out = await Promise.all(
          unique.map((id) =>
            readPolicyDefinition(azure, id).catch((error: unknown) => {
              reasons.push(unreadable('policyDefinitions', error));
              return undefined;
            }),
          ),
        );
        return out.filter((d): d is PolicyDefinitionFact => d !== undefined);
      };
      const first = await read(enforcedOver(assigned.assignments, scopes).map((a) => a.policyDefinitionId ?? ''));
      const members = await read(first.flatMap((d) => (d.policyDefinitions ?? []).map((m) => m.policyDefinitionId)));
      return {
        scopes,
        definitions: [...first, ...members],
        ...(reasons.length ? { unreadable: [...new Set(reasons)].join('; ') } : {}),
      };
    },
    activityLog: async (get) => {
      const cluster = await get('cluster');
      const since = new Date(Date.now() - ACTIVITY_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (!cluster.nodeResourceGroup) return { since, events: [] };
      try {
        return { since, events: await listFailedActivity(azure, cluster.nodeResourceGroup, since) };
      } catch (error) {
        return { since, events: [], unreadable: unreadable('activityLog', error) };
      }
    },
    admissionPolicies: async (get) => (await kubeReader(get)).admissionPolicies(),
  };
}
