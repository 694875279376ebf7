// Secrets planted everywhere a user could put one — the endpoint URL's user-info, the ARM token, a kubeconfig's
// token, a cluster body's passwords — then every command's every output mode (table, -o json, --debug, --dry-run,
// errors) is grepped for them. The dry run must still show that the field was there (as REDACTED).
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

const PLANTED = {
  user: 'planted-user',
  password: 'planted-url-pw-31337',
  adminPassword: 'Planted-Admin-P@ss-4242',
  spSecret: 'planted-sp-secret-9876',
};
const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const dir = mkdtempSync(join(tmpdir(), 'vnodes-redaction-'));

/** healthy, with a cluster body carrying a Windows admin password and a service principal secret. */
function scenarioWithSecrets(): string {
  const healthy = parse(
    readFileSync(new URL('../../src/emulator/scenarios/healthy.yaml', import.meta.url), 'utf8'),
  ) as {
    resources: { type: string; properties: Record<string, unknown> }[];
  };
  const cluster = healthy.resources.find((r) => r.type === 'Microsoft.ContainerService/managedClusters')!;
  cluster.properties = {
    ...cluster.properties,
    windowsProfile: { adminUsername: 'azureuser', adminPassword: PLANTED.adminPassword },
    servicePrincipalProfile: { clientId: 'msi', secret: PLANTED.spSecret },
  };
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, stringify({ description: 'healthy, with secrets', extends: 'healthy', resources: [cluster] }));
  return file;
}

let emu: Emulator;
let env: Record<string, string>;
let secrets: string[];
let kubeconfig: string;
beforeAll(async () => {
  emu = await startEmulator({
    scenario: scenarioWithSecrets(),
    lroDelayMs: 10,
    principalPropagationMs: 0,
    connectorReconcileMs: 50,
  });
  const endpoint = new URL(emu.armEndpoint);
  endpoint.username = PLANTED.user;
  endpoint.password = PLANTED.password;
  env = { ...emu.env(), VNODES_ARM_ENDPOINT: endpoint.toString() };
  // The emulated cluster's own kubeconfig, with its bearer token: status reads Kubernetes through it.
  const api = await emu.kube();
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, api.kubeconfig());
  const kubeToken = /token: (\S+)/.exec(api.kubeconfig())![1]!;
  secrets = [PLANTED.user, PLANTED.password, PLANTED.adminPassword, PLANTED.spSecret, emu.token, kubeToken];
});
afterAll(() => emu.close());

const MODES: [string, string[]][] = [
  ['table', []],
  ['json', ['-o', 'json']],
  ['debug', ['--debug']],
  ['debug json', ['--debug', '-o', 'json']],
];
const COMMANDS: [string, string[]][] = [
  ['check-region', ['check-region', '-l', 'eastus']],
  ['check-network', ['check-network', ...CLUSTER]],
  ['subnet create --dry-run', ['subnet', 'create', ...CLUSTER, '--dry-run']],
  ['enable --dry-run', ['enable', ...CLUSTER, '--dry-run']],
  ['disable --dry-run', ['disable', ...CLUSTER, '--dry-run']],
  ['status --kubeconfig', ['status', ...CLUSTER, '--kubeconfig', '<kubeconfig>']],
  ['a failing command', ['check-network', '--cluster', 'aks-nope', '-g', 'rg-aks']],
];

describe('no planted secret reaches any output', () => {
  const cases = COMMANDS.flatMap(([name, argv]) => MODES.map(([mode, flags]) => ({ name, mode, argv, flags })));
  it.each(cases)('$name ($mode)', async ({ argv, flags }) => {
    const r = await run([...argv.map((a) => (a === '<kubeconfig>' ? kubeconfig : a)), ...flags], env);
    expect(r.exitCode, r.stderr).not.toBe(70);
    const output = r.stdout + r.stderr;
    for (const secret of secrets) expect(output.includes(secret), `${secret} leaked:\n${output}`).toBe(false);
    if (flags.includes('--debug')) expect(r.stderr).toMatch(/debug: (GET|PUT) https:\/\/REDACTED@127\.0\.0\.1/);
  });

  it('a dry run still shows which secret fields the body carries, as REDACTED', async () => {
    const r = await run(['enable', ...CLUSTER, '--dry-run', '-o', 'json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const put = r.json().requests.find((q: { url: string }) => /managedClusters\/aks-demo/.test(q.url));
    expect(put.url).toMatch(/^https:\/\/REDACTED@127\.0\.0\.1/);
    expect(put.body.properties.windowsProfile).toEqual({ adminUsername: 'azureuser', adminPassword: 'REDACTED' });
  });

  it('the real enable (table, then a re-run in JSON) prints none of them either', async () => {
    for (const flags of [[], ['-o', 'json', '--debug']]) {
      const r = await run(
        ['enable', ...CLUSTER, '--yes', '--poll-interval', '50ms', '--kubeconfig', kubeconfig, ...flags],
        env,
      );
      expect(r.exitCode, r.stderr).toBe(0);
      for (const secret of secrets) expect((r.stdout + r.stderr).includes(secret), secret).toBe(false);
    }
  });
});
