import type { Json } from '../arm/store.js';

/** One row of Location_ListCapabilities `value[]`, exactly as ARM returns it. */
export interface CapabilityRow {
  resourceType: string;
  osType: string;
  location?: string;
  ipAddressType: string;
  gpu: string;
  capabilities: { maxMemoryInGB: number; maxCpu: number; maxGpuCount: number };
  [extra: string]: unknown;
}

/** One row of Location_ListUsage `value[]`, exactly as ARM returns it. */
export interface UsageRow {
  name: { value: string; localizedValue: string };
  currentValue: number;
  limit: number;
  unit: string;
  [extra: string]: unknown;
}

/** A region of the emulated cloud, with what ACI offers there. */
export interface Region {
  /** Programmatic name ('eastus'). */
  name: string;
  /** Display name ('East US'), used in provider resource type locations. */
  displayName: string;
  capabilities: CapabilityRow[];
  usages: UsageRow[];
}

/** How POST register moves a provider from Registering to Registered. */
export interface RegisteringSpec {
  /** Registered once this many reads of the provider have answered Registering. */
  reads?: number;
  /** Registered once this many milliseconds have passed since the register call. */
  ms?: number;
}

/** A resource provider's registration in the subscription. */
export interface ProviderSpec {
  registrationState: string;
  registrationPolicy?: string;
  registering?: RegisteringSpec;
  /** Rows overriding the generated `resourceTypes[]` entries with the same `resourceType`. */
  resourceTypes?: Json[];
}

/** The subscription the emulator serves. */
export interface SubscriptionSpec {
  id: string;
  displayName: string;
  tenantId: string;
  state: string;
}

/** A resource group the scenario starts with. */
export interface ResourceGroupSpec {
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** A scenario after `extends`, profiles and `fromExample` are resolved: what the emulator starts from. */
export interface Scenario {
  name: string;
  description: string;
  /** The file it came from. */
  source: string;
  subscription: SubscriptionSpec;
  resourceGroups: ResourceGroupSpec[];
  /** Keyed by namespace as written; look up case-insensitively. */
  providers: Record<string, ProviderSpec>;
  regions: Region[];
  /** Raw ARM resource bodies, each with an `id`. */
  resources: Json[];
  /** Items per page of every pageable list. */
  pageSize: number;
  /** Kubernetes objects for the API server of the only (or first) managed cluster. */
  kubernetes: Json[];
  /** Kubernetes objects per managed cluster name (the `kubernetes: {<cluster>: [...]}` form). */
  kubernetesByCluster?: Record<string, Json[]>;
  /** What images do in ACI: the first rule whose glob matches an image lends it the behaviour of `as`. */
  images?: ImageRule[];
  /** Activity Log events the subscription starts with (ARM's event shape; `ageMinutes` dates one before now). */
  activityLog?: Json[];
  /** The Microsoft Graph directory beyond managed identities: app registrations (service principal clusters). */
  directory?: DirectorySpec;
}

/** Graph's side of the scenario. */
export interface DirectorySpec {
  /** Applications as Graph v1.0 returns them (`passwordCredentials[].endDateTime` may be `now+10d` / `now-30d`). */
  applications: Json[];
  /** The caller lacks Application.Read.All: application reads answer 403 Authorization_RequestDenied. */
  applicationReadDenied?: boolean;
}

/** `{image: 'contoso.azurecr.io/api:*', as: 'emulator/crashloop:2'}`: such images behave (and pull) as `as` does. */
export interface ImageRule {
  image: string;
  as: string;
}
