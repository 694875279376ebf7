// VN-ACR-001, VN-DNS-001 and VN-SP-001 end to end: vnodes doctor -o json in-process against the emulator over real
// HTTPS, per scenario, asserting status, evidence and remediation; ACI's answer to a firewalled registry through the
// real ACI SDK; and that no secret value reaches doctor's output or its --debug log.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { aciClient } from '../helpers/aci.js';
import { CLUSTER, doctorJson, evidenceText, FAST } from '../helpers/doctor.js';
import { REGISTRY_CASES } from '../helpers/doctor-cases.js';
import { run } from '../helpers/run-cli.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

// Each run also asserts its scenario's row of REGISTRY_CASES (the coverage table test/unit/doctor-coverage.test.ts reads).
async function doctor(scenario: string, args: string[] = [], options: EmulatorOptions = {}) {
  emulator = await startEmulator({ scenario, ...FAST, ...options });
  const run = await doctorJson(emulator.env(), args);
  for (const [id, status] of Object.entries(REGISTRY_CASES[scenario] ?? {}))
    expect([id, run.check(id).status]).toEqual([id, status]);
  return run;
}
const text = evidenceText;

describe('VN-ACR-001: pull secrets and registry network rules', () => {
  it('acr-private: a registry with public access disabled and default Deny fails, with evidence and the fix', async () => {
    const { check } = await doctor('acr-private');
    expect(check('pods.acr-pull-secret').status).toBe('pass');
    const net = check('pods.acr-network');
    expect(net.status).toBe('fail');
    expect(net.summary).toMatch(/contosoprivate refuse public pulls.*RegistryErrorResponse/);
    expect(net.evidence).toContainEqual({
      field: 'properties.publicNetworkAccess',
      value: 'Disabled',
      source: expect.stringMatching(/Microsoft\.ContainerRegistry\/registries\/contosoprivate$/),
    });
    expect(net.evidence).toContainEqual(
      expect.objectContaining({ field: 'properties.networkRuleSet.defaultAction', value: 'Deny' }),
    );
    expect(net.remediation).toBe(
      'az acr update -n contosoprivate --public-network-enabled true --default-action Allow (or pull from a registry ACI can reach)',
    );
  });

  it('acr-private: ACI refuses the container group with 409 RegistryErrorResponse, as Azure does', async () => {
    emulator = await startEmulator({ scenario: 'acr-private', lroDelayMs: 10 });
    const aci = aciClient(emulator);
    const group = (image: string) => ({
      location: 'eastus',
      osType: 'Linux',
      containers: [{ name: 'app', image, resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
      imageRegistryCredentials: [{ server: image.split('/')[0]!, username: 'u', password: 'p' }],
    });
    await expect(
      aci.containerGroups.beginCreateOrUpdateAndWait(
        'MC_rg-aks_aks-demo_eastus',
        'cart',
        group('contosoprivate.azurecr.io/shop/cart:1.4'),
      ),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'RegistryErrorResponse',
      message:
        "An error response is received from the docker registry 'contosoprivate.azurecr.io'. Please retry later.",
    });
    const ok = await aci.containerGroups.beginCreateOrUpdateAndWait(
      'MC_rg-aks_aks-demo_eastus',
      'web',
      group('contosopublic.azurecr.io/web:1'),
    );
    expect(ok.provisioningState).toBe('Succeeded');
  });

  it('acr-bad-secret: service account secrets, a scheme in the server, a wrong type, no username and a missing secret', async () => {
    const { check } = await doctor('acr-bad-secret');
    const c = check('pods.acr-pull-secret');
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(
      /deployment shop\/cart, deployment web\/api, deployment web\/legacy cannot pull from ACR/,
    );
    expect(c.summary).not.toMatch(/web\/fine/);
    expect(c.evidence).toContainEqual({
      field: 'deployment shop/cart imagePullSecrets',
      value: ['acr-https (service account puller)', 'acr-opaque (service account puller)'],
    });
    const t = text(c);
    expect(t).toMatch(
      /names the server \\"https:\/\/contosopublic\.azurecr\.io\\": write it as contosopublic\.azurecr\.io/,
    );
    expect(t).toMatch(/image pull secret type is not one of kubernetes\.io\/dockerconfigjson/);
    expect(t).toMatch(/no username present in auth config for server contosopublic\.azurecr\.io/);
    expect(t).toMatch(/secret web\/acr-missing does not exist/);
    expect(c.remediation).toMatch(
      /^kubectl create secret docker-registry acr-pull -n <namespace> --docker-server=<registry>\.azurecr\.io \(no https:\/\/\)/,
    );
    expect(check('pods.acr-network').status).toBe('pass');
  });

  it('no secret value reaches the JSON, the human output or the --debug log', async () => {
    emulator = await startEmulator({ scenario: 'acr-bad-secret', lroDelayMs: 10, connectorReconcileMs: 50 });
    const outs = await Promise.all([
      run(['doctor', ...CLUSTER, '-o', 'json', '--debug'], emulator.env()),
      run(['doctor', ...CLUSTER, '--debug'], emulator.env()),
    ]);
    const all = outs.map((o) => o.stdout + o.stderr).join('\n');
    expect(all).toMatch(/reading secret|GET .*\/secrets\/|acr-https/);
    for (const secret of ['An0ther-Secr3t-value', 'Opaque-Secr3t-value', 'N0-user-Secr3t-value', 'G00d-Secr3t-value'])
      expect(all).not.toContain(secret);
    for (const encoded of ['Opaque-Secr3t-value', 'G00d-Secr3t-value'].map((s) =>
      Buffer.from(s).toString('base64').slice(0, 12),
    ))
      expect(all).not.toContain(encoded);
  });
});

describe('VN-DNS-001: MASTER_URI and CLUSTER_CIDR', () => {
  it('connector-stale-config: a stale API server and cluster CIDR fail with both in the evidence', async () => {
    const { check } = await doctor('connector-stale-config');
    const c = check('dns.connector-config');
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(
      /MASTER_URI is https:\/\/aks-old-.*:443, the API server is https:\/\/aks-demo-rg-aks-6f0c1f-x7k2m9qd\.hcp\.eastus\.azmk8s\.io:443/,
    );
    expect(c.summary).toMatch(/CLUSTER_CIDR is 10\.224\.0\.0\/16, the node subnet is 10\.240\.0\.0\/16/);
    expect(c.evidence).toContainEqual(expect.objectContaining({ field: 'env.CLUSTER_CIDR', value: '10.224.0.0/16' }));
    expect(c.evidence).toContainEqual({ field: 'node subnet aks-subnet addressPrefix', value: ['10.240.0.0/16'] });
    expect(c.remediation).toBe(
      'Regenerate the connector config: vnodes disable --cluster aks-demo -g rg-aks, then vnodes enable --cluster aks-demo -g rg-aks',
    );
  });
});

describe('VN-SP-001: the service principal secret from Microsoft Graph', () => {
  it('sp-expired: every secret ended, and the connector log says AADSTS7000222', async () => {
    const { check } = await doctor('sp-expired');
    const c = check('identity.service-principal');
    expect(c.status).toBe('fail');
    expect(c.evidence).toContainEqual(
      expect.objectContaining({
        field: 'passwordCredentials[rbac].endDateTime',
        source: 'application 9a8b7c6d-1e2f-4a3b-8c7d-6e5f4a3b2c1d',
      }),
    );
    expect(text(c)).toMatch(/AADSTS7000222/);
    expect(c.remediation).toMatch(
      /^az aks update-credentials -g rg-aks -n aks-demo --reset-service-principal --service-principal 9a8b7c6d/,
    );
  });

  it('sp-expiring: a secret ending in 10 days is a warning; a Graph 403 is skip naming Application.Read.All', async () => {
    const { check, r } = await doctor('sp-expiring');
    const c = check('identity.service-principal');
    expect(c.status).toBe('warn');
    expect(c.summary).toMatch(/expires in 10 day\(s\)/);
    expect(r.stdout).not.toContain('Q~x');
    await emulator!.close();
    emulator = undefined;
    const sp = await doctor('sp-graph-denied');
    const denied = sp.check('identity.service-principal');
    expect(denied.status).toBe('skip');
    expect(denied.summary).toMatch(/Authorization_RequestDenied.*missing permission Application\.Read\.All/);
    // A refused read is still a request made.
    expect(sp.doc.calls.graph).toBe(emulator!.graphRequests.count({ operation: 'GET applications', status: 403 }));
    expect(sp.doc.calls.graph).toBeGreaterThan(0);
  });

  it('sp-expiring: calls.graph is the Graph requests the emulator logged, and the summary line names them', async () => {
    const { doc } = await doctor('sp-expiring');
    const logged = emulator!.graphRequests.count();
    expect(logged).toBeGreaterThan(0);
    expect(emulator!.graphRequests.entries.map((e) => `${e.operation} ${e.status}`)).toContain('GET applications 200');
    expect(doc.calls).toMatchObject({ arm: emulator!.requests.count(), graph: logged });
    emulator!.graphRequests.clear();
    const human = await run(['doctor', ...CLUSTER], emulator!.env());
    expect(human.stdout).toMatch(
      new RegExp(`\\d+ ARM, \\d+ Kubernetes and ${emulator!.graphRequests.count()} Graph requests in`),
    );
  });

  it('healthy: no service principal, so calls.graph is 0 and the summary line does not name Graph', async () => {
    const { doc } = await doctor('healthy');
    expect(doc.calls.graph).toBe(0);
    expect(emulator!.graphRequests.count()).toBe(0);
    const human = await run(['doctor', ...CLUSTER], emulator!.env());
    expect(human.stdout).toMatch(/\d+ ARM and \d+ Kubernetes requests in/);
    expect(human.stdout).not.toContain('Graph');
  });
});
