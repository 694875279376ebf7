// An Azure CLI configuration directory (AZURE_CONFIG_DIR) pointed at a running emulator, written the way
// `az cloud register` + `az cloud set` + `az login --identity` leave one, without running `az` (which is slow to start
// and may not be installed where the emulator runs).
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AZ_COMPAT_SITECUSTOMIZE } from './compat-shim.js';

/** What the directory is built from: the running emulator's endpoints. */
export interface AzConfigTarget {
  armEndpoint: string;
  caFile: string;
  caPem: string;
  /** The managed identity endpoint, started if it was not (the emulator's `managedIdentity()`). */
  managedIdentity(): Promise<{ endpoint: string }>;
  graphEndpoint: string;
  cloudName: string;
}

/** Names this file marks a directory vnodes wrote, so it may write it again (and never another). */
const MARKER = '.vnodes-emulator';

/** Thrown when the directory holds files vnodes did not write (an existing Azure CLI configuration). */
export class AzConfigDirInUse extends Error {}

/** Thrown when the directory is not the current user's own, or others may write it (they could swap its files). */
export class AzConfigDirUnsafe extends Error {}

/** A subscription as Subscriptions_List returns it (the fields the profile keeps). */
interface Subscription {
  subscriptionId: string;
  displayName: string;
  state: string;
  tenantId?: string;
  managedByTenants?: unknown[];
}

async function getJson<T>(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; ca?: string },
): Promise<T> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: options.method, headers: options.headers, ...(options.ca ? { ca: options.ca } : {}) },
      (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
  if (res.status !== 200) throw new Error(`${options.method} ${url} answered ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as T;
}

/** What `az login --identity` does: a token from the identity endpoint, its tenant, the subscriptions ARM lists. */
async function signIn(
  target: AzConfigTarget,
  msiEndpoint: string,
): Promise<{ tenantId: string; subscriptions: Subscription[] }> {
  const body = new URLSearchParams({ resource: target.armEndpoint }).toString();
  const token = await getJson<{ access_token: string }>(msiEndpoint, {
    method: 'POST',
    headers: {
      Metadata: 'true',
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    tid: string;
  };
  const subscriptions: Subscription[] = [];
  let next: string | undefined = new URL('subscriptions?api-version=2019-11-01', target.armEndpoint).href;
  while (next !== undefined) {
    const page: { value?: Subscription[]; nextLink?: string } = await getJson(next, {
      method: 'GET',
      headers: { Authorization: `Bearer ${token.access_token}` },
      ca: target.caPem,
    });
    subscriptions.push(...(page.value ?? []));
    next = page.nextLink ?? undefined;
  }
  return { tenantId: String(claims.tid), subscriptions };
}

/**
 * Writes the directory (created if needed; refused with AzConfigDirInUse when it holds files vnodes did not write) and
 * returns the variables to export: AZURE_CONFIG_DIR, REQUESTS_CA_BUNDLE (the emulator's CA: Python requests then
 * trusts only it, fine for loopback), MSI_ENDPOINT (where `az` gets its tokens) and PYTHONPATH (the compatibility
 * shim for Debian's azure-cli package, inert elsewhere).
 */
export async function prepareAzConfig(dir: string, target: AzConfigTarget): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (!info.isDirectory()) throw new AzConfigDirUnsafe(`${dir} is not a directory.`);
  if (process.getuid !== undefined && info.uid !== process.getuid())
    throw new AzConfigDirUnsafe(`${dir} belongs to another user (uid ${info.uid}).`);
  if ((info.mode & 0o022) !== 0)
    throw new AzConfigDirUnsafe(`${dir} is writable by group or others (mode ${(info.mode & 0o777).toString(8)}).`);
  const existing = await readdir(dir);
  if (existing.length > 0 && !existing.includes(MARKER)) {
    throw new AzConfigDirInUse(
      `${dir} already holds files vnodes did not write (${existing.slice(0, 3).join(', ')}…).`,
    );
  }
  const { endpoint: msiEndpoint } = await target.managedIdentity();
  const { tenantId, subscriptions } = await signIn(target, msiEndpoint);
  const cloud = target.cloudName;
  const account = (s: Subscription, i: number) => ({
    id: s.subscriptionId,
    name: s.displayName,
    state: s.state,
    user: { name: 'systemAssignedIdentity', type: 'servicePrincipal', assignedIdentityInfo: 'MSI' },
    isDefault: i === 0,
    tenantId: s.tenantId ?? tenantId,
    environmentName: cloud,
    homeTenantId: tenantId,
    managedByTenants: s.managedByTenants ?? [],
  });
  const endpoints = {
    endpoint_resource_manager: target.armEndpoint,
    endpoint_active_directory: target.armEndpoint,
    endpoint_active_directory_resource_id: target.armEndpoint,
    endpoint_active_directory_graph_resource_id: target.graphEndpoint,
    endpoint_microsoft_graph_resource_id: target.graphEndpoint,
  };
  const ini = (sections: Record<string, Record<string, string>>): string =>
    Object.entries(sections)
      .map(
        ([name, values]) =>
          `[${name}]\n${Object.entries(values)
            .map(([k, v]) => `${k} = ${v}`)
            .join('\n')}\n`,
      )
      .join('\n');
  const first = subscriptions[0]?.subscriptionId;
  await writeFile(join(dir, 'config'), ini({ cloud: { name: cloud }, core: { collect_telemetry: 'no' } }), {
    mode: 0o600,
  });
  await writeFile(
    join(dir, 'clouds.config'),
    ini({ [cloud]: { ...endpoints, ...(first ? { subscription: first } : {}) } }),
  );
  // The Azure CLI writes its profile as UTF-8 with a byte order mark and reads it either way.
  await writeFile(
    join(dir, 'azureProfile.json'),
    `\ufeff${JSON.stringify({ subscriptions: subscriptions.map(account) })}`,
  );
  await mkdir(join(dir, 'python'), { recursive: true });
  await writeFile(join(dir, 'python', 'sitecustomize.py'), AZ_COMPAT_SITECUSTOMIZE);
  await writeFile(join(dir, MARKER), `Written by vnodes emulator start --az-config for ${target.armEndpoint}\n`);
  return {
    AZURE_CONFIG_DIR: dir,
    REQUESTS_CA_BUNDLE: target.caFile,
    MSI_ENDPOINT: msiEndpoint,
    PYTHONPATH: join(dir, 'python'),
  };
}
