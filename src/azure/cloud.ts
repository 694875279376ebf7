import { UsageError } from '../errors.js';

/** The endpoints vnodes needs for one Azure cloud. */
export interface Cloud {
  name: string;
  resourceManager: string;
  authorityHost: string;
  /** Clouds where the aciConnectorLinux add-on is not offered. */
  virtualNodesUnsupported?: boolean;
}

/** The public clouds vnodes knows by name (`--cloud`). */
const CLOUDS: Record<string, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    resourceManager: 'https://management.azure.com/',
    authorityHost: 'https://login.microsoftonline.com',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    resourceManager: 'https://management.chinacloudapi.cn/',
    authorityHost: 'https://login.chinacloudapi.cn',
    // Terraform strips aciConnectorLinux there and the AKS docs say ACI connectors are not supported in Azure China.
    virtualNodesUnsupported: true,
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    resourceManager: 'https://management.usgovcloudapi.net/',
    authorityHost: 'https://login.microsoftonline.us',
  },
};

/** Resolves `--cloud` (case-insensitive) plus an optional `VNODES_ARM_ENDPOINT` override. */
export function resolveCloud(name: string | undefined, endpointOverride: string | undefined): Cloud {
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
  let url: URL;
  try {
    url = new URL(endpointOverride);
  } catch {
    throw new UsageError(
      `VNODES_ARM_ENDPOINT "${endpointOverride}" is not a URL.`,
      'Set it to an HTTPS URL such as https://management.azure.com/, or unset it.',
      'VNODES_BAD_ENDPOINT',
    );
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(
      `VNODES_ARM_ENDPOINT "${endpointOverride}" is not HTTPS.`,
      'The Azure SDK sends bearer tokens only over HTTPS: use an https:// URL (add its CA with VNODES_ARM_CA_FILE).',
      'VNODES_BAD_ENDPOINT',
    );
  }
  return { ...base, resourceManager: url.toString().replace(/\/?$/, '/') };
}
