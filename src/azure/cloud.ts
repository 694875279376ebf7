import { UsageError } from '../errors.js';

/** The endpoints vnodes needs for one Azure cloud. */
export interface Cloud {
  name: string;
  resourceManager: string;
  authorityHost: string;
  /** Microsoft Graph's endpoint, which is also its token audience (the cloud's microsoftGraphResourceId). */
  microsoftGraph: string;
  /** Clouds where the aciConnectorLinux add-on is not offered. */
  virtualNodesUnsupported?: boolean;
}

/** The public clouds vnodes knows by name (`--cloud`). */
const CLOUDS: Record<string, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    resourceManager: 'https://management.azure.com/',
    authorityHost: 'https://login.microsoftonline.com',
    microsoftGraph: 'https://graph.microsoft.com/',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    resourceManager: 'https://management.chinacloudapi.cn/',
    authorityHost: 'https://login.chinacloudapi.cn',
    microsoftGraph: 'https://microsoftgraph.chinacloudapi.cn/',
    // Terraform strips aciConnectorLinux there and the AKS docs say ACI connectors are not supported in Azure China.
    virtualNodesUnsupported: true,
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    resourceManager: 'https://management.usgovcloudapi.net/',
    authorityHost: 'https://login.microsoftonline.us',
    microsoftGraph: 'https://graph.microsoft.us/',
  },
};

/**
 * Resolves `--cloud` (case-insensitive) plus optional `VNODES_ARM_ENDPOINT` and `VNODES_GRAPH_ENDPOINT` overrides,
 * both HTTPS (the Graph one is checked the same way, and is its own token audience as ARM's is).
 */
export function resolveCloud(
  name: string | undefined,
  endpointOverride: string | undefined,
  graphOverride?: string,
): Cloud {
  const cloud = resolveArm(name, endpointOverride);
  if (graphOverride === undefined || graphOverride === '') return cloud;
  return { ...cloud, microsoftGraph: httpsUrl(graphOverride, 'VNODES_GRAPH_ENDPOINT', 'https://graph.microsoft.com/') };
}

function resolveArm(name: string | undefined, endpointOverride: string | undefined): Cloud {
  const wanted = name ?? 'AzureCloud';
  const base = Object.values(CLOUDS).find((c) => c.name.toLowerCase() === wanted.toLowerCase());
  if (!base) {
    throw new UsageError(
      `Unknown cloud "${wanted}".`,
      `Use --cloud ${Object.keys(CLOUDS).join(', --cloud ')}.`,
      'VNODES_UNKNOWN_CLOUD',
    );
  }
  if (endpointOverride === undefined || endpointOverride === '') return base;
  return {
    ...base,
    resourceManager: httpsUrl(endpointOverride, 'VNODES_ARM_ENDPOINT', 'https://management.azure.com/', true),
  };
}

/** The override as a URL ending in '/', or a usage error naming the variable. */
function httpsUrl(value: string, variable: string, example: string, caHint = false): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `${variable} "${value}" is not a URL.`,
      `Set it to an HTTPS URL such as ${example}, or unset it.`,
      'VNODES_BAD_ENDPOINT',
    );
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(
      `${variable} "${value}" is not HTTPS.`,
      `The Azure SDK sends bearer tokens only over HTTPS: use an https:// URL${caHint ? ' (add its CA with VNODES_ARM_CA_FILE)' : ''}.`,
      'VNODES_BAD_ENDPOINT',
    );
  }
  return url.toString().replace(/\/?$/, '/');
}
