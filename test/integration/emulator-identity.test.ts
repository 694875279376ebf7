import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AzConfigDirInUse,
  AzConfigDirUnsafe,
  type Emulator,
  prepareAzConfig,
  startEmulator,
} from '../../src/emulator/index.js';
import { armGet, armRequest } from '../helpers/arm.js';

const CALLER = '00000000-0000-0000-0000-00000000ca11';
// The add-on identity of the addon-enabled scenario.
const ADDON_CLIENT = '3b8f2c1d-6a4e-4f7b-9c2d-8e1f0a3b5c7d';
const ADDON_PRINCIPAL = '5c1e9a7b-2d4f-4b6a-8e3c-7f9d1b2a4c6e';

let emu: Emulator;
let msiEndpoint: string;
let msiSecret: string;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'addon-enabled', principalPropagationMs: 0 });
  ({ endpoint: msiEndpoint, secret: msiSecret } = await emu.managedIdentity());
});
afterAll(() => emu.close());

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/** One request to the managed identity endpoint (plain HTTP on loopback). */
async function msi(
  query: Record<string, string>,
  init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const url = new URL(msiEndpoint);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** One request to the Graph emulator. */
function graph(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path.replace(/^\//, ''), emu.graphEndpoint),
      { method, ca: emu.caPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('emulator managed identity endpoint', () => {
  it('issues tokens the Cloud Shell way (POST form, Metadata: true) that ARM accepts', async () => {
    const r = await msi({}, { method: 'POST', headers: { metadata: 'true' }, form: { resource: emu.armEndpoint } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', resource: emu.armEndpoint });
    expect(Number(r.body.expires_on)).toBeGreaterThan(Date.now() / 1000);
    expect(claimsOf(r.body.access_token)).toMatchObject({
      tid: emu.tenantId,
      oid: CALLER,
      aud: emu.armEndpoint,
      idtyp: 'app',
    });
    const subs = await armRequest(emu, 'GET', '/subscriptions', '2019-11-01', undefined, bearer(r.body.access_token));
    expect(subs.status).toBe(200);
    expect(subs.body.value.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([emu.subscriptionId]);
  });

  it('speaks App Service 2017-09-01 (secret header, date expires_on) and 2019-08-01 (X-IDENTITY-HEADER)', async () => {
    const old = await msi(
      { resource: 'https://management.azure.com/', 'api-version': '2017-09-01' },
      { headers: { secret: msiSecret } },
    );
    expect(old.status).toBe(200);
    expect(old.body.expires_on).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d \+00:00$/);
    const current = await msi(
      { resource: 'https://management.azure.com', 'api-version': '2019-08-01' },
      { headers: { 'x-identity-header': msiSecret } },
    );
    expect(current.status).toBe(200);
    expect(current.body.expires_on).toMatch(/^\d+$/);
    // Public Azure's audiences are ARM audiences too, so clients that keep public-cloud scopes work.
    expect(
      (await armRequest(emu, 'GET', '/tenants', '2022-12-01', undefined, bearer(current.body.access_token))).status,
    ).toBe(200);
    expect((await msi({ resource: 'x' }, { headers: { secret: 'wrong' } })).status).toBe(401);
  });

  it('refuses requests without the metadata header or a resource, and unknown identities', async () => {
    expect(await msi({ resource: emu.armEndpoint })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Required metadata header not specified' },
    });
    expect((await msi({}, { headers: { metadata: 'true' } })).body.error_description).toMatch(/resource/);
    const unknown = await msi(
      { resource: emu.armEndpoint, client_id: '11111111-1111-1111-1111-111111111111' },
      { headers: { metadata: 'true' } },
    );
    expect(unknown).toMatchObject({ status: 400, body: { error_description: 'Identity not found' } });
  });

  it('issues tokens for a user-assigned identity by client id, named in 403s', async () => {
    const r = await msi({ resource: emu.armEndpoint, client_id: ADDON_CLIENT }, { headers: { metadata: 'true' } });
    expect(claimsOf(r.body.access_token)).toMatchObject({
      oid: ADDON_PRINCIPAL,
      appid: ADDON_CLIENT,
      xms_mirid: expect.stringMatching(/userAssignedIdentities\/aciconnectorlinux-aks-demo$/),
    });
    emu.setFaults('403:x1:Subscriptions_List');
    const denied = await armRequest(emu, 'GET', '/subscriptions', '2019-11-01', undefined, bearer(r.body.access_token));
    emu.setFaults([]);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(`object id '${ADDON_PRINCIPAL}'`);
  });

  it('accepts only tokens it issued, for an ARM audience', async () => {
    const issued = (await msi({ resource: emu.armEndpoint }, { headers: { metadata: 'true' } })).body
      .access_token as string;
    expect((await armRequest(emu, 'GET', '/subscriptions', '2019-11-01', undefined, bearer(issued))).status).toBe(200);
    // The same claims in a token it did not mint (an unsigned JWT anyone could write) are refused.
    const lookalike = `${issued.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claimsOf(issued), uti: 'x' })).toString('base64url')}.`;
    const fake = await armRequest(emu, 'GET', '/subscriptions', '2019-11-01', undefined, bearer(lookalike));
    expect(fake).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
    const graphToken = (await msi({ resource: emu.graphEndpoint }, { headers: { metadata: 'true' } })).body
      .access_token as string;
    const wrong = await armRequest(emu, 'GET', '/subscriptions', '2019-11-01', undefined, bearer(graphToken));
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationTokenAudience' } } });
  });
});

describe('emulator cloud metadata document', () => {
  it('answers without a token, in the shape of the version asked', async () => {
    const single = await armRequest(emu, 'GET', '/metadata/endpoints', '2015-01-01', undefined, { authorization: '' });
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({
      graphEndpoint: emu.graphEndpoint,
      authentication: {
        loginEndpoint: emu.armEndpoint,
        audiences: [emu.armEndpoint, 'https://management.core.windows.net/', 'https://management.azure.com/'],
      },
    });
    const list = await armGet(emu, '/metadata/endpoints', '2022-09-01');
    expect(list.body).toEqual([
      expect.objectContaining({
        name: emu.cloudName,
        resourceManager: emu.armEndpoint,
        microsoftGraphResourceId: emu.graphEndpoint,
      }),
    ]);
    expect((await armGet(emu, '/metadata/endpoints', '2019-05-01')).body[0]).not.toHaveProperty(
      'microsoftGraphResourceId',
    );
    expect((await armGet(emu, '/metadata/endpoints', '2016-01-01')).body.error.code).toBe('InvalidApiVersionParameter');
  });
});

describe('emulator Microsoft Graph', () => {
  let token: string;
  beforeAll(async () => {
    token = (await msi({ resource: emu.graphEndpoint }, { headers: { metadata: 'true' } })).body.access_token;
  });

  it('finds managed identities by service principal name and by object id', async () => {
    const byName = await graph(
      'GET',
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`servicePrincipalNames/any(c:c eq '${ADDON_CLIENT}')`)}`,
      token,
    );
    expect(byName.body.value).toEqual([
      expect.objectContaining({
        id: ADDON_PRINCIPAL,
        appId: ADDON_CLIENT,
        displayName: 'aciconnectorlinux-aks-demo',
        servicePrincipalType: 'ManagedIdentity',
      }),
    ]);
    const byIds = await graph('POST', '/v1.0/directoryObjects/getByIds', token, {
      ids: [ADDON_PRINCIPAL, CALLER, '22222222-2222-2222-2222-222222222222'],
    });
    expect(byIds.body.value.map((o: { id: string; '@odata.type': string }) => [o.id, o['@odata.type']])).toEqual([
      [CALLER, '#microsoft.graph.servicePrincipal'],
      [ADDON_PRINCIPAL, '#microsoft.graph.servicePrincipal'],
    ]);
    expect((await graph('GET', `/v1.0/servicePrincipals/${CALLER}`, token)).body.displayName).toBe('vnodes-emulator');
  });

  it('refuses ARM tokens and queries it does not know', async () => {
    const armToken = (await msi({ resource: emu.armEndpoint }, { headers: { metadata: 'true' } })).body.access_token;
    expect((await graph('GET', '/v1.0/servicePrincipals', armToken)).status).toBe(401);
    expect(
      (await graph('GET', `/v1.0/servicePrincipals?$filter=startswith(displayName,'a')`, token)).body.error.code,
    ).toBe('Request_UnsupportedQuery');
    expect((await graph('GET', '/v1.0/groups', token)).status).toBe(400);
  });
});

describe('managed identity endpoint access', () => {
  it('is only reachable at its random path: the well-known /msi/token with Metadata: true gets no token', async () => {
    expect(msiEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/msi\/token$/);
    expect((await emu.managedIdentity()).endpoint).toBe(msiEndpoint);
    const guessed = new URL('/msi/token', msiEndpoint);
    guessed.searchParams.set('resource', emu.armEndpoint);
    const res = await fetch(guessed, { headers: { metadata: 'true' } });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain(new URL(msiEndpoint).pathname);
  });
});

describe('prepareAzConfig', () => {
  it('refuses a directory that group or others may write (AzConfigDirUnsafe)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vnodes-azcfg-'));
    try {
      const open = join(root, 'open');
      await mkdir(open);
      await chmod(open, 0o777);
      await expect(prepareAzConfig(open, emu)).rejects.toBeInstanceOf(AzConfigDirUnsafe);
      await chmod(open, 0o750);
      await expect(prepareAzConfig(open, emu)).resolves.toBeDefined();
      expect((await stat(join(open, 'config'))).mode & 0o077).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('writes a signed-in Azure CLI directory, rewrites its own, and refuses anyone else’s', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vnodes-azcfg-'));
    try {
      const dir = join(root, 'az');
      const env = await prepareAzConfig(dir, emu);
      expect(env).toEqual({
        AZURE_CONFIG_DIR: dir,
        REQUESTS_CA_BUNDLE: emu.caFile,
        MSI_ENDPOINT: msiEndpoint,
        PYTHONPATH: join(dir, 'python'),
      });
      const profile = JSON.parse((await readFile(join(dir, 'azureProfile.json'), 'utf8')).replace(/^\ufeff/, ''));
      expect(profile.subscriptions).toEqual([
        expect.objectContaining({
          id: emu.subscriptionId,
          isDefault: true,
          environmentName: emu.cloudName,
          user: { name: 'systemAssignedIdentity', type: 'servicePrincipal', assignedIdentityInfo: 'MSI' },
        }),
      ]);
      expect(await readFile(join(dir, 'config'), 'utf8')).toContain(`[cloud]\nname = ${emu.cloudName}`);
      expect(await readFile(join(dir, 'clouds.config'), 'utf8')).toContain(
        `endpoint_resource_manager = ${emu.armEndpoint}`,
      );
      await expect(prepareAzConfig(dir, emu)).resolves.toBeDefined();
      const foreign = join(root, 'mine');
      await mkdir(foreign);
      await writeFile(join(foreign, 'azureProfile.json'), '{}');
      await expect(prepareAzConfig(foreign, emu)).rejects.toBeInstanceOf(AzConfigDirInUse);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
