// VN-ACR-001: ACR images on the virtual node. v1 (and Helm-installed virtual kubelets) pull with an image pull secret
// only, since ACI cannot use the kubelet identity (pain.md P44): the secret must exist in the pod's namespace, be a
// docker config secret with an `auths` entry for the registry host written without a scheme, and name a user (P46;
// virtual-kubelet's own errors: "image pull secret type is not one of kubernetes.io/dockercfg or
// kubernetes.io/dockerconfigjson", "no username present in auth config for server"). The registry must let ACI in over
// its public endpoint (P45). v2 pulls with its extension identity, which needs AcrPull.
import { defineCheck } from '../engine.js';
import { ANY_NODE, ev, few, result, STACK_TAG, V1, V2 } from '../doctor-common.js';
import type { PullSecretFact, RegistryFact } from '../doctor-facts.js';
import { grantsFor } from '../identity/grants.js';
import type { Evidence } from '../model.js';
import { type AcrTarget, acrTargets, acrTargetsOf, aimedSpecs } from './target.js';

const DOCS = 'https://learn.microsoft.com/azure/aks/virtual-nodes#known-limitations';
const SECRET_TYPES = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'];
const PULL = 'Microsoft.ContainerRegistry/registries/pull/read';

/** `https://x.azurecr.io/v2/` → `x.azurecr.io`, as the host an image names. */
const bareServer = (server: string): string =>
  server
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();

/** What is wrong with one secret for one registry host, or undefined when it will do. */
function secretProblem(secret: PullSecretFact | undefined, host: string, name: string): string | undefined {
  if (!secret || !secret.found) return `secret ${name} does not exist in the pod's namespace`;
  if (secret.unreadable) return undefined;
  if (!SECRET_TYPES.includes(secret.type ?? ''))
    return `secret ${name} has type ${secret.type ?? '(none)'}: image pull secret type is not one of ${SECRET_TYPES.join(' or ')}`;
  if (!secret.auths) return `secret ${name} holds no parsable docker config`;
  const entry = secret.auths.find((a) => bareServer(a.server) === host);
  if (!entry)
    return `secret ${name} has no auths entry for ${host} (it has ${secret.auths.map((a) => a.server).join(', ') || 'none'})`;
  if (entry.server.toLowerCase() !== host)
    return `secret ${name} names the server "${entry.server}": write it as ${host}, without https:// or a path`;
  if (!entry.username) return `secret ${name}: no username present in auth config for server ${entry.server}`;
  return undefined;
}

/** Per target, the hosts none of its secrets serve, with why. */
function missingAuth(target: AcrTarget, secrets: readonly PullSecretFact[]): { host: string; why: string[] }[] {
  return target.hosts.flatMap((host) => {
    if (!target.secrets.length) return [{ host, why: ['no imagePullSecrets on the pod or its service account'] }];
    const why = target.secrets.map((s) =>
      secretProblem(
        secrets.find((f) => f.namespace === target.namespace && f.name === s.name),
        host,
        `${target.namespace}/${s.name}`,
      ),
    );
    return why.some((w) => w === undefined) ? [] : [{ host, why: why as string[] }];
  });
}

const pullSecret = defineCheck({
  id: 'pods.acr-pull-secret',
  title: 'ACR images on the virtual node have a working pull secret',
  area: 'pods',
  tags: ['pods', 'workloads', ...V1, STACK_TAG['helm-vk']],
  severity: 'P1',
  catalog: ['VN-ACR-001'],
  docs: DOCS,
  requires: ['stack.detected'],
  facts: ['kubeNodes', 'kubePods', 'kubeDeployments', 'kubeServiceAccounts', 'pullSecrets'],
  run(facts) {
    const targets = acrTargetsOf(facts);
    const evidence: Evidence[] = [];
    const bad: string[] = [];
    for (const t of targets) {
      const missing = missingAuth(t, facts.pullSecrets);
      const secretRefs = t.secrets.map(
        (s) => `${s.name} (${s.from === 'spec' ? 'pod spec' : `service account ${t.serviceAccount}`})`,
      );
      for (const s of facts.pullSecrets.filter((f) => f.namespace === t.namespace && f.unreadable))
        evidence.push(ev(`secret ${s.namespace}/${s.name}`, `not judged: ${s.unreadable}`));
      if (!missing.length) continue;
      bad.push(t.where);
      evidence.push(ev(`${t.where} image`, t.images[0]), ev(`${t.where} imagePullSecrets`, secretRefs));
      for (const m of missing) evidence.push(ev(`${t.where} pull from ${m.host}`, m.why.join('; ')));
    }
    if (!bad.length)
      return result(
        'pass',
        targets.length
          ? `${targets.length} ACR workload(s) on the virtual node have a pull secret for their registry.`
          : 'No ACR images aimed at the virtual node.',
        evidence,
      );
    return result(
      'fail',
      `${few(bad)} cannot pull from ACR: the add-on cannot use the kubelet identity, so ACI answers InaccessibleImage without a working pull secret.`,
      evidence,
      'kubectl create secret docker-registry acr-pull -n <namespace> --docker-server=<registry>.azurecr.io (no https://) --docker-username=<service principal appId or token name> --docker-password=<password>, then add imagePullSecrets: [{name: acr-pull}] to the pod template or its service account',
    );
  },
});

/** The registries the targets pull from, found by login server; hosts with no registry in the subscription apart. */
function registriesOf(targets: readonly AcrTarget[], registries: readonly RegistryFact[]) {
  const hosts = [...new Set(targets.flatMap((t) => t.hosts))];
  const found = hosts.flatMap((h) => registries.filter((r) => r.loginServer === h));
  return { hosts, found, unknown: hosts.filter((h) => !registries.some((r) => r.loginServer === h)) };
}

const network = defineCheck({
  id: 'pods.acr-network',
  title: "ACI can reach the ACR registries of the virtual node's workloads",
  area: 'pods',
  tags: ['pods', 'workloads', ...ANY_NODE],
  severity: 'P1',
  catalog: ['VN-ACR-001'],
  docs: 'https://learn.microsoft.com/azure/container-instances/container-instances-troubleshooting',
  requires: ['stack.detected'],
  facts: ['stack', 'kubeNodes', 'kubePods', 'kubeDeployments', 'containerRegistries'],
  run({ stack, kubeNodes, kubePods, kubeDeployments, containerRegistries }) {
    const targets = acrTargets(aimedSpecs(kubePods, kubeNodes, kubeDeployments), []);
    if (!targets.length) return result('pass', 'No ACR images aimed at the virtual node.');
    const { found, unknown } = registriesOf(targets, containerRegistries);
    const evidence: Evidence[] = unknown.map((h) => ev('registry not in this subscription (not checked)', h));
    const closed: string[] = [];
    for (const r of found) {
      evidence.push(
        ev('properties.publicNetworkAccess', r.publicNetworkAccess ?? 'Enabled', r.id),
        ev('properties.networkRuleSet.defaultAction', r.defaultAction ?? 'Allow', r.id),
      );
      if (r.publicNetworkAccess === 'Disabled' || r.defaultAction === 'Deny') closed.push(r.name);
    }
    if (!found.length)
      return result('skip', `${few(unknown)} not in this subscription: its network rules were not read.`, evidence);
    if (!closed.length)
      return result('pass', `${few(found.map((r) => r.loginServer))} accept pulls over the public endpoint.`, evidence);
    const v2 = stack.primary === 'v2-extension' || stack.primary === 'v2-helm';
    const fix = closed
      .map((name) => `az acr update -n ${name} --public-network-enabled true --default-action Allow`)
      .join('; ');
    return result(
      v2 ? 'warn' : 'fail',
      v2
        ? `${few(closed)} refuse public pulls: virtual nodes v2 needs the registry's private endpoint reachable from the ACI subnet.`
        : `${few(closed)} refuse public pulls, and ACI pods of the add-on pull over the public endpoint (a private endpoint needs a managed identity they do not have): ACI answers RegistryErrorResponse.`,
      evidence,
      v2
        ? "Link the registry private endpoint's DNS zone (privatelink.azurecr.io) to the VNet of the ACI subnet, or allow public access: " +
            fix
        : `${fix} (or pull from a registry ACI can reach)`,
    );
  },
});

const pullIdentity = defineCheck({
  id: 'pods.acr-pull-identity',
  title: 'The v2 extension identity may pull from the ACR registries of its workloads',
  area: 'pods',
  tags: ['pods', 'identity', ...V2],
  severity: 'P1',
  catalog: ['VN-ACR-001'],
  docs: 'https://learn.microsoft.com/azure/container-registry/container-registry-roles',
  requires: ['stack.detected'],
  facts: ['kubeNodes', 'kubePods', 'kubeDeployments', 'kubeServiceAccounts', 'containerRegistries', 'acrPullGrants'],
  run(facts) {
    const targets = acrTargetsOf(facts).filter((t) => !t.secrets.length);
    if (!targets.length) return result('pass', 'No ACR images without a pull secret aimed at the virtual node.');
    const { found } = registriesOf(targets, facts.containerRegistries);
    const principal = facts.acrPullGrants.principalId;
    const evidence: Evidence[] = [ev('aksAssignedIdentity.principalId', principal)];
    const lacking = found.filter((r) => {
      const grants = facts.acrPullGrants.byRegistry[r.id] ?? [];
      evidence.push(
        ev(
          'roleAssignments',
          grants.map((g) => `${g.roleName} at ${g.scope}`),
          r.id,
        ),
      );
      return !grantsFor(grants, PULL, r.id).length;
    });
    if (!found.length)
      return result(
        'skip',
        'The registries are not in this subscription: their role assignments were not read.',
        evidence,
      );
    if (!lacking.length)
      return result('pass', `The extension identity may pull from ${few(found.map((r) => r.name))}.`, evidence);
    return result(
      'warn',
      `The extension identity has no AcrPull on ${few(lacking.map((r) => r.name))}: pulls without a secret fail.`,
      evidence,
      lacking
        .map(
          (r) =>
            `az role assignment create --assignee-object-id ${principal ?? '<principalId>'} --assignee-principal-type ServicePrincipal --role AcrPull --scope ${r.id}`,
        )
        .join('; '),
    );
  },
});

/** The ACR checks. */
export const acrChecks = [pullSecret, network, pullIdentity];
