import type { ManagedCluster } from '@azure/arm-containerservice';

/** The add-on key AKS uses for virtual nodes; Linux is the only flavour there is. */
export const ADDON_KEY = 'aciConnectorLinux';

/** What the cluster says about the virtual-node add-on. */
export interface AddonState {
  /** The key as the cluster spells it (the portal and RP change its case). */
  key: string | undefined;
  enabled: boolean;
  subnetName: string | undefined;
  identity: { resourceId?: string; clientId?: string; objectId?: string } | undefined;
}

/** Reads the add-on profile; AKS and portals return the keys in varying case, so both levels match case-insensitively. */
export function addonState(cluster: Pick<ManagedCluster, 'addonProfiles'>): AddonState {
  const profiles = cluster.addonProfiles ?? {};
  const key = Object.keys(profiles).find((k) => k.toLowerCase() === ADDON_KEY.toLowerCase());
  const profile = key ? profiles[key] : undefined;
  const config = profile?.config ?? {};
  const subnetKey = Object.keys(config).find((k) => k.toLowerCase() === 'subnetname');
  return {
    key,
    enabled: profile?.enabled === true,
    subnetName: (subnetKey ? config[subnetKey] : undefined) || undefined,
    identity: profile?.identity ?? undefined,
  };
}
