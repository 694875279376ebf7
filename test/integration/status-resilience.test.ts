// One failed read must not take the status screen down: the rest is shown, that line says `error` with its fix, and
// a cluster whose last operation did not succeed says so instead of `ok add-on … enabled`.
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorPerTest } from '../helpers/emulated.js';
import { run } from '../helpers/run-cli.js';

const STATUS = ['status', '--cluster', 'aks-demo', '-g', 'rg-aks'];
const emulators = emulatorPerTest(afterEach);
const on = emulators.on;

describe('status with a failed read', () => {
  it('shows the screen when the container groups cannot be listed (ACI not registered)', async () => {
    const emu = await on('rp-unregistered');
    const r = await run(STATUS, emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Cluster aks-demo \(rg-aks, eastus\)/);
    expect(r.stdout).toMatch(/^error ACI +Azure returned 409 MissingSubscriptionRegistration/m);
    expect(r.stdout).toMatch(
      /^ {2}fix: Register the resource provider: az provider register --namespace Microsoft\.ContainerInstance/m,
    );
    expect(r.stdout).toContain('could not be read (container groups)');
    expect(r.stderr).not.toMatch(/^error:/m);
    const doc = (await run([...STATUS, '-o', 'json'], emu.env())).json();
    expect(doc).toMatchObject({
      kind: 'status',
      healthy: false,
      errors: [{ part: 'containerGroups', code: 'MissingSubscriptionRegistration' }],
    });
  });

  it('shows the role line as error when role assignments cannot be read, and the rest of the screen', async () => {
    const emu = await on('addon-enabled', { faults: '403:1:GET */roleAssignments' });
    const r = await run(STATUS, emu.env());
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^error role +Azure returned 403 AuthorizationFailed/m);
    expect(r.stdout).toMatch(/^ {2}fix: Your identity lacks permission/m);
    expect(r.stdout).toMatch(/^ok node +virtual-node-aci-linux Ready/m);
    expect(r.stdout).toMatch(/ACI +\d+ container group/);
  });
});

describe('status of a cluster whose last operation failed', () => {
  it('shows provisioningState Failed, not ok add-on enabled, and how to re-apply', async () => {
    const emu = await on('healthy', { faults: 'lro-fail:x1:PUT */managedClusters/aks-demo' });
    const enable = await run(['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--no-wait'], emu.env());
    expect(enable.exitCode, enable.stderr).toBe(1);
    expect(enable.stderr).toMatch(/^fix: .*re-run the same command/im);
    const r = await run(STATUS, emu.env());
    expect(r.stdout).not.toMatch(/^ok add-on/m);
    expect(r.stdout).toMatch(/^FAIL add-on +aciConnectorLinux .*\(cluster provisioningState Failed\)/m);
    expect(r.stdout).toMatch(/^ {2}fix: the cluster's last operation failed: re-run vnodes enable/m);
    expect((await run([...STATUS, '-o', 'json'], emu.env())).json()).toMatchObject({
      provisioningState: 'Failed',
      healthy: false,
    });
  });
});
