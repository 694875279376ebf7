// doctor --fix: the safe remediations only, planned from the results, shown, asked for once, then applied through
// the steps enable uses (subnet create's rules, the add-on PUT with If-Match, the role grant). Anything that could
// destroy data or change the network beyond the subnet vnodes manages (route tables, NSGs, container groups) is
// never automatic: it is listed as a command to run.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { RecordedRequest } from '../azure/record.js';
import { addonState } from '../network/addon.js';
import type { CheckResult } from '../checks/model.js';
import type { Deps } from '../deps.js';
import { isVnodesError } from '../errors.js';
import { sleep } from '../util/sleep.js';

/** One safe fix: what it does and which checks it is for. */
export interface FixStep {
  id: 'register-provider' | 'enable' | 'grant-aci-role' | 'restart-connector';
  action: string;
  checks: string[];
}

/** What --fix planned, did, and left to the user. */
export interface FixReport {
  plan: FixStep[];
  dryRun: boolean;
  /** Steps applied (or, dry, that would be). */
  applied: string[];
  /** The writes, in order (with --dry-run: the writes it would make). */
  requests: RecordedRequest[];
  /** Problems doctor does not fix itself, with the command to run. */
  manual: { check: string; command: string }[];
  errors: { step: string; message: string; remediation?: string }[];
  /** The checks re-run after the fixes. */
  affected: string[];
}

const bad = (r: CheckResult | undefined) => r !== undefined && (r.status === 'fail' || r.status === 'error');
const ENABLE_FIXES = ['addon.enabled', 'network.subnet-exists', 'network.subnet-delegation', 'identity.subnet-role'];
const BLOCKERS = [
  'cloud.virtual-nodes',
  'region.aci-available',
  'region.aci-linux',
  'region.vnet',
  'network.plugin',
  'network.ip-families',
  'network.authorized-ip-ranges',
  'network.subnet-dedicated',
  'network.subnet-route-table',
];
const AFTER_ENABLE = [
  ...ENABLE_FIXES,
  'identity.exists',
  'connector.running',
  'connector.init',
  'node.ready',
  'stack.detected',
];

/** The safe fixes the results call for (pure). */
export function planFixes(
  results: readonly CheckResult[],
  cluster: ManagedCluster,
): { steps: FixStep[]; manual: FixReport['manual'] } {
  const byId = new Map(results.map((r) => [r.id, r]));
  const steps: FixStep[] = [];
  if (bad(byId.get('region.provider-registered')))
    steps.push({
      id: 'register-provider',
      action: 'register resource provider Microsoft.ContainerInstance',
      checks: ['region.provider-registered'],
    });
  const stack = byId.get('stack.detected');
  const v2 = /v2|Helm-installed/.test(stack?.summary ?? '') && stack?.status !== 'fail';
  const enableFor = ENABLE_FIXES.filter((id) => {
    const r = byId.get(id);
    return bad(r) || (id === 'network.subnet-delegation' && r?.status === 'warn');
  });
  // Enable's preflight would refuse anyway, and nothing doctor may do changes these: say so instead of trying.
  const blockedBy = BLOCKERS.filter((id) => bad(byId.get(id)));
  if (enableFor.length && !v2 && !blockedBy.length) {
    const roleOnly = enableFor.every((id) => id === 'identity.subnet-role');
    steps.push({
      id: 'enable',
      action: roleOnly
        ? "grant the add-on identity Network Contributor on the ACI subnet (enable's role step)"
        : "create or delegate the ACI subnet, enable the aciConnectorLinux add-on and grant its identity Network Contributor (enable's steps)",
      checks: enableFor,
    });
  }
  // The Contributor AKS granted on the node resource group when the add-on was enabled, and does not grant again
  // while it stays on: re-granted through enable's role step. A deleted identity is not fixed here: only disable +
  // enable gives the add-on a new one, and disabling removes the virtual node and every pod on it (manual).
  const aciRole = bad(byId.get('identity.aci-role')) && !bad(byId.get('identity.exists'));
  if (aciRole)
    steps.push({
      id: 'grant-aci-role',
      action: "grant the add-on identity Contributor on the node resource group (enable's role step)",
      checks: ['identity.aci-role'],
    });
  const granted = steps.some((s) => s.id === 'grant-aci-role' || s.checks.includes('identity.subnet-role'));
  if (granted && addonState(cluster).enabled)
    steps.push({
      id: 'restart-connector',
      action: 'restart the aci-connector-linux pods so they pick up the new role',
      checks: ['connector.running'],
    });
  const automatic = new Set(steps.flatMap((s) => s.checks));
  const manual = results
    .filter((r) => (r.status === 'fail' || r.status === 'warn') && r.remediation && !automatic.has(r.id))
    .map((r) => ({ check: r.id, command: r.remediation! }));
  return { steps, manual };
}

type FixDeps = Pick<Deps, 'azure' | 'reporter' | 'env' | 'consent' | 'signal' | 'globals'>;

/** Shows the plan, asks once (or takes --yes), applies it; with dryRun records every write and sends none. */
export async function applyFixes(
  planned: { steps: FixStep[]; manual: FixReport['manual'] },
  options: {
    cluster: string;
    resourceGroup: string;
    dryRun: boolean;
    pollMs: number;
    kubeconfig?: string;
    context?: string;
  },
  deps: FixDeps,
): Promise<FixReport> {
  const report: FixReport = {
    plan: planned.steps,
    dryRun: options.dryRun,
    applied: [],
    requests: [],
    manual: planned.manual,
    errors: [],
    affected: [],
  };
  if (!planned.steps.length) return report;
  for (const s of planned.steps) deps.reporter.info(`fix plan: ${s.action} (for ${s.checks.join(', ')})`);
  await deps.consent.confirm(
    `apply ${planned.steps.length} fix(es) on cluster ${options.cluster}: ${planned.steps.map((s) => s.action).join('; ')}`,
    { dryRun: options.dryRun },
  );
  // Asked once for the whole plan: the steps below must not ask again.
  const given = { confirm: async () => undefined, once: () => async () => undefined };
  const azure = await deps.azure();
  const affected = new Set<string>();
  for (const step of planned.steps) {
    try {
      if (step.id === 'register-provider') {
        const { registerProvider } = await import('../azure/doctor-writes.js');
        const request = await registerProvider(azure, 'Microsoft.ContainerInstance', options.dryRun);
        if (request) report.requests.push(request);
        if (!options.dryRun) await waitRegistered(deps, options.pollMs);
      } else if (step.id === 'enable') {
        const { enable } = await import('../cluster/enable.js');
        const { DEFAULT_SUBNET_PREFIX_LENGTH } = await import('../network/plan.js');
        const result = await enable(
          {
            cluster: options.cluster,
            resourceGroup: options.resourceGroup,
            prefixLength: DEFAULT_SUBNET_PREFIX_LENGTH,
            wait: false,
            timeoutMs: 0,
            pollMs: options.pollMs,
            dryRun: options.dryRun,
            force: false,
          },
          { ...deps, consent: given },
        );
        report.requests.push(...result.requests);
        for (const id of AFTER_ENABLE) affected.add(id);
      } else if (step.id === 'grant-aci-role') {
        const request = await grantAciRole(options, deps);
        if (request) report.requests.push(request);
      } else {
        const { openCluster } = await import('../cluster/kube.js');
        const { restartConnector } = await import('../kube/doctor-writes.js');
        const { readCluster } = await import('../network-features/read-facts.js');
        const cluster = await readCluster(deps, options.cluster, options.resourceGroup);
        const access = await openCluster(options, azure, cluster, deps.env);
        report.requests.push(...(await restartConnector(access, options.dryRun)));
      }
      report.applied.push(step.id);
      for (const id of step.checks) affected.add(id);
    } catch (error) {
      if (!isVnodesError(error)) throw error;
      report.errors.push({
        step: step.id,
        message: error.message,
        ...(error.remediation ? { remediation: error.remediation } : {}),
      });
    }
  }
  report.affected = [...affected];
  return report;
}

// Contributor for the add-on identity on the node resource group, as AKS grants it when the add-on is enabled.
async function grantAciRole(
  options: { cluster: string; resourceGroup: string; dryRun: boolean },
  deps: FixDeps,
): Promise<RecordedRequest | undefined> {
  const [{ grantSubnetRole, NODE_GROUP_ROLE }, { readCluster }] = await Promise.all([
    import('../cluster/role-step.js'),
    import('../network-features/read-facts.js'),
  ]);
  const azure = await deps.azure();
  const cluster = await readCluster(deps, options.cluster, options.resourceGroup);
  const principalId = addonState(cluster).identity?.objectId;
  if (!principalId || !cluster.nodeResourceGroup) return undefined;
  const result = await grantSubnetRole({
    azure,
    subscriptionId: azure.subscriptionId,
    scope: `/subscriptions/${azure.subscriptionId}/resourceGroups/${cluster.nodeResourceGroup}`,
    principalId,
    endpoint: azure.clientOptions.endpoint,
    dryRun: options.dryRun,
    reporter: deps.reporter,
    consent: async () => undefined,
    signal: deps.signal,
    role: NODE_GROUP_ROLE,
  });
  return result.request;
}

// Registration takes seconds to minutes; the checks that need it are only worth re-running once it is done.
async function waitRegistered(deps: FixDeps, pollMs: number): Promise<void> {
  const { getProvider } = await import('../azure/providers.js');
  const azure = await deps.azure();
  const t0 = performance.now();
  while (performance.now() - t0 < 120_000) {
    const p = await getProvider(azure, 'Microsoft.ContainerInstance');
    if (p.registrationState?.toLowerCase() === 'registered') return;
    await sleep(pollMs, deps.signal);
  }
}
