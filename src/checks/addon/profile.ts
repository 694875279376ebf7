import type { ManagedCluster } from '@azure/arm-containerservice';

/** The add-on profile whatever the casing of its key or of SubnetName (the portal and RP change them). */
export function addonProfile(cluster: Pick<ManagedCluster, 'addonProfiles'>): {
  key?: string;
  enabled: boolean;
  subnetName?: string;
  identity?: { resourceId?: string; clientId?: string; objectId?: string };
} {
  const profiles = cluster.addonProfiles ?? {};
  const key = Object.keys(profiles).find((k) => k.toLowerCase() === 'aciconnectorlinux');
  const profile = key ? profiles[key] : undefined;
  const config = profile?.config ?? {};
  const subnetKey = Object.keys(config).find((k) => k.toLowerCase() === 'subnetname');
  const subnetName = subnetKey ? config[subnetKey] : undefined;
  return {
    ...(key ? { key } : {}),
    enabled: profile?.enabled === true,
    ...(subnetName ? { subnetName } : {}),
    ...(profile?.identity ? { identity: profile.identity } : {}),
  };
}
