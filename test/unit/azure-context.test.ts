import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCloud } from '../../src/azure/cloud.js';
import { resolveSubscription } from '../../src/azure/subscription.js';
import { UsageError } from '../../src/errors.js';

const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';
const C = '33333333-3333-3333-3333-333333333333';

describe('resolveCloud', () => {
  it.each([
    [undefined, 'https://management.azure.com/'],
    ['azurechinacloud', 'https://management.chinacloudapi.cn/'],
    ['AzureUSGovernment', 'https://management.usgovcloudapi.net/'],
  ])('%s -> %s', (name, endpoint) => expect(resolveCloud(name, undefined).resourceManager).toBe(endpoint));

  it('lets VNODES_ARM_ENDPOINT override the endpoint, keeping the authority', () => {
    const cloud = resolveCloud('AzureUSGovernment', 'https://arm.example.test:8443');
    expect(cloud).toMatchObject({
      resourceManager: 'https://arm.example.test:8443/',
      authorityHost: 'https://login.microsoftonline.us',
    });
  });

  it.each([
    ['AzureMoon', /Unknown cloud "AzureMoon"/],
    [undefined, /not HTTPS/, 'http://127.0.0.1:1'],
  ])('rejects %s with a usage error', (name, message, endpoint?: string) => {
    expect(() => resolveCloud(name, endpoint)).toThrow(UsageError);
    expect(() => resolveCloud(name, endpoint)).toThrow(message);
  });
});

describe('resolveSubscription', () => {
  const profileDir = mkdtempSync(join(tmpdir(), 'azcfg-'));
  writeFileSync(
    join(profileDir, 'azureProfile.json'),
    '\uFEFF' + JSON.stringify({ subscriptions: [{ id: C, isDefault: true }] }),
  );
  const cases: [string | undefined, Record<string, string>, string, string][] = [
    [A, { VNODES_SUBSCRIPTION_ID: B, AZURE_SUBSCRIPTION_ID: C }, A, '--subscription'],
    [undefined, { VNODES_SUBSCRIPTION_ID: B, AZURE_SUBSCRIPTION_ID: C }, B, 'VNODES_SUBSCRIPTION_ID'],
    [undefined, { AZURE_SUBSCRIPTION_ID: A, AZURE_CONFIG_DIR: profileDir }, A, 'AZURE_SUBSCRIPTION_ID'],
    [undefined, { AZURE_CONFIG_DIR: profileDir }, C, 'azure-cli'],
  ];
  it.each(cases)('flag %s with %j -> %s from %s', async (flag, env, id, source) => {
    expect(await resolveSubscription(flag, env)).toEqual({ id, source });
  });

  it('exits 4 with the fix when nothing names a subscription', async () => {
    await expect(resolveSubscription(undefined, { HOME: '/nonexistent' })).rejects.toMatchObject({
      exitCode: 4,
      code: 'VNODES_NO_SUBSCRIPTION',
    });
  });
});
