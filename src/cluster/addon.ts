import type { ManagedCluster, ManagedClusterAddonProfile } from '@azure/arm-containerservice';
import { ADDON_KEY } from '../network/addon.js';

/**
 * The cluster body to PUT so that only the add-on changes. Read-only fields are dropped by the SDK serializer;
 * servicePrincipalProfile is left out because GET returns it without its secret and AKS rejects it as sent back
 * (the Azure CLI does the same).
 */
export function clusterWithAddon(
  cluster: ManagedCluster,
  change: { enabled: true; subnetName: string } | { enabled: false },
): ManagedCluster {
  const { servicePrincipalProfile: _omit, ...rest } = cluster;
  const profiles: Record<string, ManagedClusterAddonProfile> = {};
  for (const [k, v] of Object.entries(cluster.addonProfiles ?? {})) {
    // Drop the add-on's own identity: it is read-only and AKS owns it.
    profiles[k.toLowerCase() === ADDON_KEY.toLowerCase() ? ADDON_KEY : k] =
      k.toLowerCase() === ADDON_KEY.toLowerCase() ? withoutIdentity(v) : v;
  }
  const current = profiles[ADDON_KEY];
  profiles[ADDON_KEY] = change.enabled
    ? { ...current, enabled: true, config: { ...otherConfig(current?.config), SubnetName: change.subnetName } }
    : { ...current, enabled: false, ...(current?.config ? { config: current.config } : {}) };
  return { ...rest, addonProfiles: profiles };
}

function withoutIdentity(profile: ManagedClusterAddonProfile): ManagedClusterAddonProfile {
  const { identity: _identity, ...rest } = profile as ManagedClusterAddonProfile & { identity?: unknown };
  return rest;
}

function otherConfig(config: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(config ?? {}).filter(([k]) => k.toLowerCase() !== 'subnetname'));
}
