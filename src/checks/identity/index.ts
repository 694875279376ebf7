// The add-on identity (VN-ID-001, VN-ID-002) and a service principal cluster's credential (VN-SP-001).
import { defineCheck } from '../engine.js';
import { addonState } from '../../network/addon.js';
import { clusterNames, ev, result, V1, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import { grantsFor } from './grants.js';

const NETWORK = 'Microsoft.Network/virtualNetworks/subnets';
const ACI = 'Microsoft.ContainerInstance/containerGroups';
const RESTART = 'kubectl -n kube-system rollout restart deploy/aci-connector-linux';

const exists = defineCheck({
  id: 'identity.exists',
  title: 'The add-on identity exists',
  area: 'identity',
  tags: ['identity', ...V1],
  severity: 'P0',
  catalog: ['VN-ID-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['addon.enabled'],
  facts: ['cluster', 'addonIdentity'],
  run({ cluster, addonIdentity: identity }) {
    const n = clusterNames(cluster);
    const reported = identity.reported;
    const field = 'properties.addonProfiles.aciConnectorLinux.identity';
    const evidence = [
      ev(`${field}.objectId`, reported?.objectId, cluster.id),
      ev(`${field}.resourceId`, reported?.resourceId, cluster.id),
    ];
    // Not a --fix step: disabling the add-on removes the virtual node and every pod on it.
    const reEnable = `vnodes disable --cluster ${n.cluster} -g ${n.group}, then vnodes enable --cluster ${n.cluster} -g ${n.group} (AKS creates a new identity only when the add-on is enabled again; disabling removes the virtual node and its pods)`;
    if (!reported?.objectId)
      return result(
        'fail',
        'AKS reports no identity for the add-on: the connector cannot sign in.',
        evidence,
        reEnable,
      );
    if (reported.resourceId && !identity.resource)
      return result(
        'fail',
        `The add-on identity ${reported.resourceId.split('/').pop()} was deleted.`,
        evidence,
        reEnable,
      );
    if (
      identity.resource?.principalId &&
      identity.resource.principalId.toLowerCase() !== reported.objectId.toLowerCase()
    ) {
      evidence.push(ev('properties.principalId', identity.resource.principalId, identity.resource.id));
      return result(
        'fail',
        'The identity resource has another principal than the cluster reports (it was re-created).',
        evidence,
        reEnable,
      );
    }
    return result('pass', `Identity ${reported.resourceId?.split('/').pop() ?? reported.objectId} exists.`, evidence);
  },
});

const subnetRole = defineCheck({
  id: 'identity.subnet-role',
  title: 'The add-on identity may use the ACI subnet',
  area: 'identity',
  tags: ['identity', ...V1],
  severity: 'P0',
  catalog: ['VN-ID-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['identity.exists'],
  facts: ['cluster', 'addonGrants', 'network'],
  run({ cluster, addonGrants, network }) {
    const n = clusterNames(cluster);
    const scope = addonGrants.scopes.subnet ?? addonGrants.scopes.vnet;
    if (!scope) return result('skip', 'No cluster VNet was found, so there is no scope to check (see network.vnet).');
    const delegated = (network.subnet?.delegations ?? []).some(
      (d) => d.serviceName?.toLowerCase() === ACI.toLowerCase(),
    );
    const need = ['read', 'join/action', ...(delegated ? [] : ['write'])].map((a) => `${NETWORK}/${a}`);
    const missing = need.filter((a) => grantsFor(addonGrants.grants, a, scope).length === 0);
    const evidence = [
      ev('principalId', addonGrants.principalId),
      ev('scope', scope),
      ...addonGrants.grants.map((g) => ev('roleAssignment', `${g.roleName} at ${g.scope}`, g.id)),
    ];
    const principal = addonGrants.principalId ?? '<objectId>';
    const fix = addonState(cluster).enabled
      ? `vnodes enable --cluster ${n.cluster} -g ${n.group} (grants Network Contributor on the subnet), then ${RESTART}. Or: az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role "Network Contributor" --scope ${scope}`
      : undefined;
    if (missing.length) {
      evidence.push(ev('missingActions', missing));
      const where = addonGrants.scopes.subnet
        ? 'the ACI subnet'
        : `VNet ${scope.split('/').pop()} (the subnet does not exist yet)`;
      return result(
        'fail',
        `The add-on identity lacks ${missing.map((a) => a.slice(NETWORK.length + 1)).join(', ')} on ${where}: the connector fails with AuthorizationFailed.`,
        evidence,
        fix,
      );
    }
    return result(
      'pass',
      `The add-on identity may read${delegated ? ' and join' : ', join and delegate'} the subnet.`,
      evidence,
    );
  },
});

const aciRole = defineCheck({
  id: 'identity.aci-role',
  title: 'The add-on identity may manage container groups in the node resource group',
  area: 'identity',
  tags: ['identity', ...V1],
  severity: 'P0',
  catalog: ['VN-ID-002'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['identity.exists'],
  facts: ['cluster', 'addonGrants'],
  run({ cluster, addonGrants }) {
    const n = clusterNames(cluster);
    const scope = addonGrants.scopes.nodeResourceGroup;
    if (!scope) return result('skip', 'The cluster reports no node resource group.');
    const missing = ['read', 'write', 'delete']
      .map((a) => `${ACI}/${a}`)
      .filter((a) => !grantsFor(addonGrants.grants, a, scope).length);
    const evidence = [ev('scope', scope), ev('principalId', addonGrants.principalId)];
    if (!missing.length) return result('pass', `The identity may manage container groups in ${n.nodeGroup}.`, evidence);
    evidence.push(ev('missingActions', missing));
    return result(
      'fail',
      `The add-on identity cannot ${missing.map((a) => a.split('/').pop()).join('/')} container groups in ${n.nodeGroup}: pods fail with AuthorizationFailed.`,
      evidence,
      `vnodes doctor --cluster ${n.cluster} -g ${n.group} --fix (grants Contributor on ${n.nodeGroup}, then restarts the connector; AKS grants it only when the add-on is enabled). Or: az role assignment create --assignee-object-id ${addonGrants.principalId ?? '<objectId>'} --assignee-principal-type ServicePrincipal --role Contributor --scope ${scope}`,
    );
  },
});

const DAY_MS = 86_400_000;
/** How close to expiry a secret is worth a warning (pain.md VN-SP-001). */
const EXPIRY_WARN_DAYS = 30;

const servicePrincipal = defineCheck({
  id: 'identity.service-principal',
  title: 'Cluster credential (managed identity or a valid service principal)',
  area: 'identity',
  tags: ['identity', ...V1],
  severity: 'P1',
  catalog: ['VN-SP-001'],
  docs: 'https://learn.microsoft.com/azure/aks/update-credentials',
  facts: ['cluster', 'servicePrincipalSecrets'],
  run({ cluster, servicePrincipalSecrets: sp }) {
    const n = clusterNames(cluster);
    const clientId = cluster.servicePrincipalProfile?.clientId;
    const evidence = [ev('properties.servicePrincipalProfile.clientId', clientId, cluster.id)];
    if (!clientId || clientId.toLowerCase() === 'msi')
      return result('pass', 'The cluster uses managed identities: no secret to expire.', evidence);
    const renew = `az aks update-credentials -g ${n.group} -n ${n.cluster} --reset-service-principal --service-principal ${clientId} --client-secret "$(az ad app credential reset --id ${clientId} --query password -o tsv)", or migrate: az aks update -g ${n.group} -n ${n.cluster} --enable-managed-identity`;
    for (const line of sp.signInErrors) evidence.push(ev('connector log', line.trim().slice(0, 300)));
    const now = Date.now();
    const ends = (sp.application?.secrets ?? [])
      .map((c) => ({ c, at: c.endDateTime ? Date.parse(c.endDateTime) : Number.NaN }))
      .filter((x) => !Number.isNaN(x.at));
    for (const { c } of ends)
      evidence.push(
        ev(
          `passwordCredentials[${c.displayName ?? c.keyId ?? '?'}].endDateTime`,
          c.endDateTime,
          `application ${clientId}`,
        ),
      );
    if (sp.signInErrors.length)
      return result(
        'fail',
        `The connector cannot sign in with service principal ${clientId}: its secret is expired or wrong (AADSTS7000222).`,
        evidence,
        renew,
      );
    if (sp.unreadable)
      return result('skip', `${sp.unreadable}, so the secret's expiry of ${clientId} is not known.`, evidence);
    if (!sp.application)
      return result(
        'warn',
        `Microsoft Graph has no application ${clientId} in this tenant: doctor cannot see its secrets.`,
        evidence,
        renew,
      );
    if (!ends.length)
      return result('fail', `Application ${clientId} has no client secret, which the cluster needs.`, evidence, renew);
    const latest = Math.max(...ends.map((x) => x.at));
    const date = new Date(latest).toISOString().slice(0, 10);
    if (latest <= now)
      return result(
        'fail',
        `Every client secret of service principal ${clientId} has expired (the last on ${date}): the connector fails with AADSTS7000222.`,
        evidence,
        renew,
      );
    const days = Math.ceil((latest - now) / DAY_MS);
    if (days < EXPIRY_WARN_DAYS)
      return result('warn', `The service principal's secret expires in ${days} day(s) (${date}).`, evidence, renew);
    return result('pass', `The service principal's secret is valid until ${date}.`, evidence);
  },
});

/** Identity checks. */
export const identityChecks = [exists, subnetRole, aciRole, servicePrincipal];
