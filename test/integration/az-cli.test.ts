// The Azure CLI and kubectl against the emulator, side by side with vnodes, on the healthy scenario. The az calls run
// one after another (each costs about a second of Python start-up); the file skips only when `az` is not installed.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { azFor, onPath, runTool, type ToolRun } from '../helpers/az.js';
import { run } from '../helpers/run-cli.js';

const AZ = onPath('az');
if (AZ === undefined)
  console.warn('az-cli.test.ts: skipped, the Azure CLI (az) is not on PATH (.ci/run installs the azure-cli package).');

const RG = ['-g', 'rg-aks', '-n', 'aks-demo'];
const VNET = ['-g', 'rg-network', '--vnet-name', 'aks-vnet'];
const SUBNET = 'virtual-node-aci';
const CIDR = '10.241.0.0/24';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const NETWORK_CONTRIBUTOR = '4d97b98b-1d4f-4787-a291-c67834d212e7';
const TIMEOUT = 120_000;

let emu: Emulator;
let tool: Awaited<ReturnType<typeof azFor>>;
const az = (...args: string[]): Promise<ToolRun> => tool.az(...args, '-o', 'json');
const vnodes = (...args: string[]) => run([...args, '--cluster', 'aks-demo', '-g', 'rg-aks', '-o', 'json'], emu.env());

async function start(): Promise<void> {
  // A short directory delay, so az's role assignment retry (2 s, 4 s, …) is met at most once.
  emu = await startEmulator({
    scenario: 'healthy',
    lroDelayMs: 20,
    principalPropagationMs: 100,
    connectorReconcileMs: 100,
  });
  tool = await azFor(emu);
}
async function stop(): Promise<void> {
  await emu?.close();
  if (tool !== undefined) await rm(tool.home, { recursive: true, force: true });
}

describe.skipIf(AZ === undefined)(
  'the Azure CLI builds virtual nodes on the emulator; vnodes and kubectl agree',
  () => {
    beforeAll(start, 30_000);
    afterAll(stop);

    it(
      'reads, creates the subnet, enables the add-on, serves kubectl, and disables it again',
      { timeout: TIMEOUT },
      async () => {
        const cluster = (await az('aks', 'show', ...RG)).json();
        expect(cluster).toMatchObject({
          name: 'aks-demo',
          networkProfile: { networkPlugin: 'azure' },
          provisioningState: 'Succeeded',
        });
        expect(cluster.addonProfiles?.aciConnectorLinux?.enabled ?? false).toBe(false);
        const vnet = (await az('network', 'vnet', 'show', '-g', 'rg-network', '-n', 'aks-vnet')).json();
        expect(vnet.addressSpace.addressPrefixes).toEqual(['10.0.0.0/8']);
        const subnets = (await az('network', 'vnet', 'subnet', 'list', ...VNET)).json();
        expect(subnets.map((s: { name: string }) => s.name)).toEqual(['aks-subnet']);
        expect(subnets.map((s: { addressPrefix: string }) => s.addressPrefix)).not.toContain(CIDR);

        const created = (
          await az(
            'network',
            'vnet',
            'subnet',
            'create',
            ...VNET,
            '-n',
            SUBNET,
            '--address-prefixes',
            CIDR,
            '--delegations',
            'Microsoft.ContainerInstance/containerGroups',
          )
        ).json();
        expect(created).toMatchObject({ name: SUBNET, addressPrefix: CIDR, provisioningState: 'Succeeded' });
        expect(created.delegations.map((d: { serviceName: string }) => d.serviceName)).toEqual([
          'Microsoft.ContainerInstance/containerGroups',
        ]);

        const enabled = (
          await az('aks', 'enable-addons', ...RG, '--addons', 'virtual-node', '--subnet-name', SUBNET)
        ).json();
        const addon = enabled.addonProfiles.aciConnectorLinux;
        expect(addon).toMatchObject({ enabled: true, config: { SubnetName: SUBNET } });
        const objectId: string = addon.identity.objectId;
        // As in Azure: az grants Contributor on the whole VNet (derived from the node pool's subnet) to the add-on identity.
        const vnetGrants = emu.requests.entries.filter(
          (e) => e.operation === 'RoleAssignments_CreateOrUpdate' && e.status === 201,
        );
        expect(vnetGrants.map((e) => e.path.split('/providers/Microsoft.Authorization/')[0])).toEqual([vnet.id]);

        const kubeconfig = join(tool.home, 'kubeconfig');
        await tool.az('aks', 'get-credentials', ...RG, '--file', kubeconfig);
        const nodeReady = async (): Promise<boolean> => {
          const nodes = (
            await runTool('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'json'], { HOME: tool.home })
          ).json();
          const node = nodes.items.find(
            (n: { metadata: { name: string } }) => n.metadata.name === 'virtual-node-aci-linux',
          );
          return (
            node?.status.conditions.some(
              (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
            ) ?? false
          );
        };
        let ready = await nodeReady();
        for (let i = 0; !ready && i < 50; i++) {
          await new Promise((r) => setTimeout(r, 100));
          ready = await nodeReady();
        }
        expect(ready).toBe(true);
        const table = await runTool('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes'], { HOME: tool.home });
        expect(table.stdout).toMatch(/virtual-node-aci-linux\s+Ready\s+agent/);

        const status = await vnodes('status');
        expect(status.exitCode, status.stderr).toBe(0);
        expect(status.json()).toMatchObject({
          healthy: true,
          addon: { enabled: true, subnetName: SUBNET, identity: { objectId } },
          subnet: { name: SUBNET, exists: true, delegated: true, addressPrefixes: [CIDR] },
          role: { granted: true, assignments: [{ role: 'Contributor', scope: vnet.id }] },
          kubernetes: { node: { present: true, ready: true }, connector: { running: true } },
        });
        const network = await vnodes('check-network', '--subnet-name', SUBNET);
        expect(network.exitCode, network.stderr).toBe(0);
        const checks = Object.fromEntries(
          network.json().checks.map((c: { id: string; status: string }) => [c.id, c.status]),
        );
        expect(checks).toMatchObject({
          'network.subnet-exists': 'pass',
          'network.subnet-delegation': 'pass',
          'network.cidr-overlap': 'pass',
        });

        const disabled = (await az('aks', 'disable-addons', ...RG, '--addons', 'virtual-node')).json();
        expect(disabled.addonProfiles.aciConnectorLinux.enabled).toBe(false);
        const off = await vnodes('status');
        expect(off.json()).toMatchObject({ addon: { enabled: false }, healthy: false });
        expect(off.json().kubernetes.node?.present ?? false).toBe(false);
      },
    );

    it(
      'registers the emulator as a cloud and signs in with --identity, as vnodes prepared it',
      { timeout: TIMEOUT },
      async () => {
        const dir = join(tool.home, 'by-hand');
        const env = { ...tool.env, AZURE_CONFIG_DIR: dir };
        // `az cloud register` fills the sign-in endpoints from GET /metadata/endpoints.
        await runTool(
          'az',
          [
            'cloud',
            'register',
            '--name',
            emu.cloudName,
            '--endpoint-resource-manager',
            emu.armEndpoint,
            '--only-show-errors',
          ],
          env,
        );
        await runTool('az', ['cloud', 'set', '--name', emu.cloudName, '--only-show-errors'], env);
        const accounts = (await runTool('az', ['login', '--identity', '-o', 'json', '--only-show-errors'], env)).json();
        expect(accounts).toEqual([
          expect.objectContaining({
            id: emu.subscriptionId,
            tenantId: emu.tenantId,
            user: { assignedIdentityInfo: 'MSI', name: 'systemAssignedIdentity', type: 'servicePrincipal' },
          }),
        ]);
        const section = (text: string) =>
          text
            .slice(text.indexOf(`[${emu.cloudName}]`))
            .split('\n\n')[0]!
            .split('\n')
            .filter((l) => /^endpoint_(resource_manager|active_directory\w*) =/.test(l));
        const registered = section(await readFile(join(dir, 'clouds.config'), 'utf8'));
        expect(registered).toHaveLength(4);
        expect(section(await readFile(join(tool.env.AZURE_CONFIG_DIR!, 'clouds.config'), 'utf8'))).toEqual(registered);
      },
    );
  },
);

describe.skipIf(AZ === undefined)('the Azure CLI sees what vnodes enable did', () => {
  beforeAll(start, 30_000);
  afterAll(stop);

  it('shows the add-on profile and the identity role assignments', { timeout: TIMEOUT }, async () => {
    const enable = await vnodes('enable', '--yes', '--poll-interval', '50ms');
    expect(enable.exitCode, enable.stderr).toBe(0);
    const addons = (await az('aks', 'show', ...RG, '--query', 'addonProfiles')).json();
    expect(addons.aciConnectorLinux).toMatchObject({ enabled: true, config: { SubnetName: SUBNET } });
    const objectId: string = addons.aciConnectorLinux.identity.objectId;
    const grants = (await az('role', 'assignment', 'list', '--assignee', objectId, '--all')).json();
    const byRole = grants.map((g: { roleDefinitionId: string; scope: string; principalId: string }) => [
      g.roleDefinitionId.split('/').pop(),
      g.scope.split('/').slice(-2).join('/'),
      g.principalId,
    ]);
    // vnodes' Network Contributor on the ACI subnet, and AKS's own Contributor on the node resource group.
    expect(byRole).toEqual(
      expect.arrayContaining([
        [NETWORK_CONTRIBUTOR, `subnets/${SUBNET}`, objectId],
        [CONTRIBUTOR, 'resourceGroups/MC_rg-aks_aks-demo_eastus', objectId],
      ]),
    );
    expect(grants).toHaveLength(2);
    expect(grants.every((g: { roleDefinitionName: string }) => g.roleDefinitionName !== null)).toBe(true);
  });
});
