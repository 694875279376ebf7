import type { ManagedCluster } from '@azure/arm-containerservice';
import { describe, expect, it } from 'vitest';
import { clusterWithAddon } from '../../src/cluster/addon.js';
import { addonState } from '../../src/network/addon.js';
import { roleAssignmentName } from '../../src/cluster/role.js';

const base: ManagedCluster = {
  location: 'eastus',
  dnsPrefix: 'c1',
  servicePrincipalProfile: { clientId: 'msi' },
  addonProfiles: {
    omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: '/x' } },
    ACIConnectorLinux: { enabled: false, config: { subnetname: 'old' }, identity: { objectId: 'o1' } as never },
  },
};

describe('addonState', () => {
  it.each([
    [{}, { enabled: false, subnetName: undefined, key: undefined }],
    [
      { aciConnectorLinux: { enabled: true, config: { SubnetName: 's1' } } },
      { enabled: true, subnetName: 's1', key: 'aciConnectorLinux' },
    ],
    [
      { ACICONNECTORLINUX: { enabled: true, config: { subnetName: 's2' } } },
      { enabled: true, subnetName: 's2', key: 'ACICONNECTORLINUX' },
    ],
  ])('reads %j case-insensitively', (addonProfiles, want) => {
    expect(addonState({ addonProfiles })).toMatchObject(want);
  });
});

describe('clusterWithAddon', () => {
  it('changes only the add-on, normalising its key and dropping read-only identity and the SP profile', () => {
    const body = clusterWithAddon(base, { enabled: true, subnetName: 'virtual-node-aci' });
    expect(body.addonProfiles).toEqual({
      omsagent: base.addonProfiles!.omsagent,
      aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } },
    });
    expect(body.servicePrincipalProfile).toBeUndefined();
    expect(body.dnsPrefix).toBe('c1');
  });

  it('disables without losing the config', () => {
    const body = clusterWithAddon(
      { ...base, addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 's' } } } },
      { enabled: false },
    );
    expect(body.addonProfiles).toEqual({ aciConnectorLinux: { enabled: false, config: { SubnetName: 's' } } });
  });
});

describe('roleAssignmentName', () => {
  it('is a stable GUID of scope, principal and role, case-insensitive', () => {
    const a = roleAssignmentName('/Subscriptions/S/x', 'P', 'R');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(roleAssignmentName('/subscriptions/s/X', 'p', 'r')).toBe(a);
    expect(roleAssignmentName('/subscriptions/s/y', 'p', 'r')).not.toBe(a);
  });
});
