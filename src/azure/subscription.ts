import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthError, UsageError } from '../errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where the subscription id came from, shown with --debug and in errors. */
export type SubscriptionSource = '--subscription' | 'VNODES_SUBSCRIPTION_ID' | 'AZURE_SUBSCRIPTION_ID' | 'azure-cli';

/** Flag, then VNODES_SUBSCRIPTION_ID, then AZURE_SUBSCRIPTION_ID, then the Azure CLI's default subscription. */
export async function resolveSubscription(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ id: string; source: SubscriptionSource }> {
  const candidates: [string | undefined, SubscriptionSource][] = [
    [flag, '--subscription'],
    [env.VNODES_SUBSCRIPTION_ID, 'VNODES_SUBSCRIPTION_ID'],
    [env.AZURE_SUBSCRIPTION_ID, 'AZURE_SUBSCRIPTION_ID'],
  ];
  for (const [value, source] of candidates) {
    if (value === undefined || value === '') continue;
    if (!GUID.test(value.trim())) {
      throw new UsageError(
        `${source} "${value}" is not a subscription id.`,
        'Pass the subscription GUID (az account list -o table shows them), e.g. --subscription 00000000-0000-0000-0000-000000000000.',
        'VNODES_BAD_SUBSCRIPTION',
      );
    }
    return { id: value.trim().toLowerCase(), source };
  }
  const fromCli = await azureCliDefaultSubscription(env);
  if (fromCli) return { id: fromCli, source: 'azure-cli' };
  throw new AuthError('No Azure subscription selected.', {
    code: 'VNODES_NO_SUBSCRIPTION',
    remediation:
      'Pass --subscription ID, set AZURE_SUBSCRIPTION_ID, or sign in with `az login` and pick one with `az account set --subscription ID`.',
  });
}

/** The Azure CLI's default subscription from azureProfile.json (honours AZURE_CONFIG_DIR), if any. */
async function azureCliDefaultSubscription(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const dir = env.AZURE_CONFIG_DIR || join(env.HOME || homedir(), '.azure');
  let text: string;
  try {
    text = await readFile(join(dir, 'azureProfile.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    // The Azure CLI writes this file with a UTF-8 byte order mark.
    const profile = JSON.parse(text.replace(/^\uFEFF/, '')) as {
      subscriptions?: { id?: string; isDefault?: boolean }[];
    };
    const chosen = profile.subscriptions?.find((s) => s.isDefault && s.id && GUID.test(s.id));
    return chosen?.id?.toLowerCase();
  } catch {
    return undefined;
  }
}
