import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vnodes-translate-'));
  await writeFile(
    join(dir, 'ok.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        env: [{name: PW, valueFrom: {secretKeyRef: {name: db, key: pw}}}]\n        resources: {requests: {cpu: 250m, memory: 512Mi}}\n',
  );
  await writeFile(
    join(dir, 'bad.yaml'),
    'kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x, args: [serve]}]\n',
  );
  await writeFile(join(dir, 'broken.yaml'), 'kind: Pod\nspec: [\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('vnodes provider translate', () => {
  it('exit 0 with the body, secret refs listed as needed and never their values', async () => {
    const r = await run(['provider', 'translate', join(dir, 'ok.yaml'), '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'provider-translate', rejected: false });
    expect(doc.items[0]).toMatchObject({
      kind: 'Deployment',
      containerGroup: {
        name: 'shop-web',
        body: { containers: [{ environmentVariables: [{ name: 'PW', secureValue: '<secret shop/db#pw>' }] }] },
      },
      needs: [{ kind: 'Secret', namespace: 'shop', name: 'db', key: 'pw' }],
    });
  });
  it('exit 1 when ACI would reject it, naming rule and field', async () => {
    const r = await run(['provider', 'translate', join(dir, 'bad.yaml')]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('LNT-CMD-001 spec.containers[0].args');
  });
  it.each([
    ['broken.yaml', 'not valid YAML'],
    ['missing.yaml', 'Cannot read'],
  ])('exit 2 for %s', async (file, text) => {
    const r = await run(['provider', 'translate', join(dir, file)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(text);
  });
  it('refuses the add-on node name for provider run (exit 2)', async () => {
    const r = await run(
      ['provider', 'run', '--node-name', 'virtual-node-aci-linux', '--aci-resource-group', 'rg', '--region', 'eastus'],
      {
        VNODES_ARM_ENDPOINT: 'https://127.0.0.1:1/',
        VNODES_ARM_TOKEN: 't',
        AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
      },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("is the add-on's node");
  });
});
