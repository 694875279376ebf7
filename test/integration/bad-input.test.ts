// Bad input, table-driven: every command, global option and environment variable a user can get wrong. For each row
// the run must exit with the code given (2 unless said), print exactly one `error:` line and a `fix:` line on stderr,
// no stack trace and nothing on stdout; with -o json, stdout is one JSON document with `error.code`. Input vnodes can
// judge locally must not reach Azure: the emulator's request log stays empty. New commands add a key to ROWS.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

/** One bad input. */
interface Row {
  /** Shown in the test name when the argv alone does not say it. */
  why?: string;
  argv: string[];
  /** Laid over the emulator's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Default 2. */
  exit?: number;
  /** Default true: judged without any call to Azure. */
  local?: boolean;
  /** What the error line must say (it always names the bad value or the flag). */
  says?: RegExp;
  /** Default true: also run with -o json (false where -o json is itself the problem, or changes it). */
  json?: boolean;
}

const dir = mkdtempSync(join(tmpdir(), 'vnodes-bad-input-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const DIRECTORY = join(dir, 'a-directory');
mkdirSync(DIRECTORY);
const MISSING = join(dir, 'missing', 'file');
const GARBAGE = file('garbage.txt', 'this is not a certificate nor a kubeconfig: [\n');
const EMPTY = file('empty.txt', '');
const BAD_PEM = file('bad.pem', '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
const KUBECONFIG_OTHER = file(
  'other.kubeconfig',
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: other, cluster: {server: "https://other.example:443"}}]',
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: other, context: {cluster: other, user: u}}]',
    'current-context: other',
  ].join('\n'),
);
const SCENARIOS = {
  invalidYaml: file('invalid.yaml', 'description: x\nresources: [1, 2\n'),
  list: file('list.yaml', '- a\n- b\n'),
  unknownKey: file('unknown-key.yaml', 'description: x\nresourceGroup: []\n'),
  badExtends: file('bad-extends.yaml', 'extends: no-such-parent\n'),
  pageSize: file('page-size.yaml', 'pageSize: 0\n'),
  notList: file('not-list.yaml', 'resources: {a: 1}\n'),
};
const LONG = 'x'.repeat(10_000);
const C = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const withCluster = (cluster: string) => ['--cluster', cluster, '-g', 'rg-aks'];
const withGroup = (group: string) => ['--cluster', 'aks-demo', '-g', group];
const REGION = ['check-region', '-l', 'eastus'];

/** Rows by command; a command's rows run against the same emulator, each with a fresh request log. */
const ROWS: Record<string, Row[]> = {
  'check-region': [
    { argv: ['check-region'], says: /needs a region/ },
    { argv: ['check-region', '--all', '-l', 'eastus'], says: /--all and --location/ },
    { argv: ['check-region', '-l'], says: /--location/ },
    { argv: [...REGION, '--cpu', '0'], says: /--cpu "0"/ },
    { argv: [...REGION, '--cpu', '-1'], says: /--cpu/ },
    { argv: [...REGION, '--cpu', 'two'], says: /--cpu "two"/ },
    { argv: [...REGION, '--cpu', 'Infinity'], says: /--cpu "Infinity"/ },
    { argv: [...REGION, '--memory', '0'], says: /--memory "0"/ },
    { argv: [...REGION, '--memory', 'NaN'], says: /--memory "NaN"/ },
    { argv: [...REGION, '--memory', ''], says: /--memory/ },
    { argv: ['check-region', '--all', '--concurrency', '0'], says: /--concurrency "0"/ },
    { argv: ['check-region', '--all', '--concurrency', 'lots'], says: /--concurrency/ },
    { argv: [...REGION, '--bogus'], says: /unknown option '--bogus'/ },
    // Strict numbers (src/commands/parse.ts): no hex, exponents, fractions where whole numbers go, or junk.
    { argv: [...REGION, '--cpu', '0x10'], says: /--cpu "0x10"/ },
    { argv: [...REGION, '--cpu', '1e1'], says: /--cpu "1e1"/ },
    { argv: [...REGION, '--memory', '1.5GB'], says: /--memory "1.5GB"/ },
    { argv: ['check-region', '--all', '--concurrency', '0.5'], says: /--concurrency "0.5"/ },
    { argv: ['check-region', '--all', '--concurrency', '0x8'], says: /--concurrency "0x8"/ },
    {
      why: "unknown region (judged against ARM's list)",
      argv: ['check-region', '-l', 'atlantis'],
      says: /atlantis/,
      local: false,
    },
  ],
  'check-network': [
    { argv: ['check-network', '-g', 'rg-aks'], says: /--cluster/ },
    { argv: ['check-network', '--cluster', 'aks-demo'], says: /--resource-group/ },
    { argv: ['check-network', ...withCluster('')], says: /--cluster is empty/ },
    { argv: ['check-network', ...withCluster('   ')], says: /--cluster is empty/ },
    { argv: ['check-network', ...withCluster('a/b')], says: /path separator/ },
    { argv: ['check-network', ...withCluster('../x')], says: /path separator/ },
    { argv: ['check-network', ...withCluster('a\\b')], says: /path separator/ },
    { argv: ['check-network', ...withCluster(LONG)], says: /10000 characters/ },
    { argv: ['check-network', ...withCluster('x'.repeat(64))], says: /at most 63/ },
    { argv: ['check-network', ...withCluster('aks demo')], says: /"aks demo"/ },
    { argv: ['check-network', ...withCluster('aks.demo')], says: /"aks.demo"/ },
    { argv: ['check-network', ...withCluster('aks-')], says: /"aks-"/ },
    { argv: ['check-network', ...withCluster('aks%2Fdemo')], says: /aks%2Fdemo/ },
    { argv: ['check-network', ...withCluster('aks?api-version=1')], says: /aks\?api-version/ },
    { argv: ['check-network', ...withCluster('aks#x')], says: /aks#x/ },
    { argv: ['check-network', ...withGroup('')], says: /--resource-group is empty/ },
    { argv: ['check-network', ...withGroup('rg/x')], says: /path separator/ },
    { argv: ['check-network', ...withGroup('rg.')], says: /"rg\."/ },
    { argv: ['check-network', ...withGroup('x'.repeat(91))], says: /at most 90/ },
    { argv: ['check-network', ...withGroup('rg aks')], says: /"rg aks"/ },
    { argv: ['check-network', ...C, '--subnet-name', ''], says: /subnet name ""/ },
    { argv: ['check-network', ...C, '--subnet-name', 'a/b'], says: /--subnet-name/ },
    { argv: ['check-network', ...C, '--subnet-name', 'bad name!'], says: /bad name!/ },
    { argv: ['check-network', ...C, '--cidr', '10.0.0.0/33'], says: /10\.0\.0\.0\/33/ },
    { argv: ['check-network', ...C, '--cidr', 'ten.0.0.0/24'], says: /ten\.0\.0\.0/ },
    { argv: ['check-network', ...C, '--cidr', 'fd00::/64'], says: /fd00::\/64/ },
    { argv: ['check-network', ...C, '--cidr', '10.241.0.0/30'], says: /\/30/ },
    { argv: ['check-network', ...C, '--cidr', ''], says: /--cidr|CIDR/ },
    {
      why: 'a cluster that does not exist',
      argv: ['check-network', ...withCluster('aks-nope')],
      exit: 1,
      local: false,
      says: /aks-nope/,
    },
    {
      why: 'a resource group that does not exist',
      argv: ['check-network', ...withGroup('rg-nope')],
      exit: 1,
      local: false,
      says: /rg-nope/,
    },
  ],
  'subnet create': [
    {
      argv: ['subnet', 'create', ...C, '--cidr', '10.241.0.0/24', '--prefix-length', '26'],
      says: /--cidr|--prefix-length/,
    },
    { argv: ['subnet', 'create', ...C, '--prefix-length', '8'], says: /8/ },
    { argv: ['subnet', 'create', ...C, '--prefix-length', '29'], says: /29/ },
    { argv: ['subnet', 'create', ...C, '--prefix-length', 'big'], says: /big/ },
    { argv: ['subnet', 'create', ...C, '--prefix-length', '24.5'], says: /24\.5/ },
    { argv: ['subnet', 'create', ...C, '--prefix-length', '0x18'], says: /0x18/ },
    { argv: ['subnet', 'create', ...C, '--prefix-length', ''], says: /--prefix-length/ },
    { argv: ['subnet', 'create', ...C, '--name', ''], says: /subnet name ""/ },
    { argv: ['subnet', 'create', ...C, '--name', 'x'.repeat(81)], says: /subnet name/ },
    { argv: ['subnet', 'create', ...C, '--name', '-leading-dash'], says: /-leading-dash/ },
    { argv: ['subnet', 'create', ...C, '--cidr', '10.241.0.0'], says: /10\.241\.0\.0/ },
    { argv: ['subnet', 'create', ...withCluster('')], says: /--cluster/ },
    { argv: ['subnet', 'create', ...withGroup('a/b')], says: /path separator/ },
    { argv: ['subnet', 'create', ...withCluster(LONG), '--dry-run'], says: /10000 characters/ },
    {
      why: 'a write without --yes, not at a terminal',
      argv: ['subnet', 'create', ...C],
      local: false,
      says: /without confirmation/,
    },
    { argv: ['subnet', 'delete', ...C], says: /delete/ },
  ],
  enable: [
    { argv: ['enable', ...C, '--timeout', 'soon'], says: /--timeout "soon"/ },
    { argv: ['enable', ...C, '--timeout', ''], says: /--timeout/ },
    { argv: ['enable', ...C, '--timeout', '-5s'], says: /--timeout "-5s"/ },
    { argv: ['enable', ...C, '--timeout', '10x'], says: /--timeout "10x"/ },
    { argv: ['enable', ...C, '--timeout', '1.5.5s'], says: /--timeout/ },
    { argv: ['enable', ...C, '--poll-interval', '0'], says: /--poll-interval/ },
    { argv: ['enable', ...C, '--cidr', '300.0.0.0/24'], says: /300\.0\.0\.0/ },
    { argv: ['enable', ...C, '--cidr', '10.241.0.0/24', '--prefix-length', '25'], says: /--cidr and --prefix-length/ },
    { argv: ['enable', ...C, '--prefix-length', '40'], says: /40/ },
    { argv: ['enable', ...C, '--subnet-name', ''], says: /subnet name ""/ },
    { argv: ['enable', ...withCluster(''), '--yes'], says: /--cluster is empty/ },
    { argv: ['enable', ...withCluster('x'.repeat(64)), '--yes'], says: /at most 63/ },
    { argv: ['enable', ...withGroup('..'), '--yes'], says: /"\.\."/ },
    { argv: ['enable', ...C, '--yes', '--kubeconfig', MISSING], says: /--kubeconfig .*does not exist/ },
    { argv: ['enable', ...C, '--yes', '--kubeconfig', GARBAGE], says: /garbage\.txt/ },
    { argv: ['enable', ...C, '--yes', '--kubeconfig', DIRECTORY], says: /a-directory/ },
    { argv: ['enable', ...C, '--yes', '--kubeconfig', ''], says: /--kubeconfig is empty/ },
    {
      argv: ['enable', ...C, '--yes', '--kubeconfig', KUBECONFIG_OTHER, '--context', 'nonexistent'],
      says: /nonexistent/,
    },
    { argv: ['enable', ...C, '--yes', '--context', ''], says: /--context is empty/ },
    {
      why: '--context with no kubeconfig anywhere',
      argv: ['enable', ...C, '--yes', '--context', 'aks-demo'],
      says: /--context aks-demo/,
    },
    {
      why: 'KUBECONFIG names a garbage file',
      argv: ['enable', ...C, '--yes'],
      env: { KUBECONFIG: GARBAGE },
      says: /garbage\.txt/,
    },
    { argv: ['enable', ...C, '--yes', '--force=yes'], says: /--force/ },
    {
      why: 'a write without --yes, not at a terminal',
      argv: ['enable', ...C],
      local: false,
      says: /without confirmation/,
    },
  ],
  disable: [
    { argv: ['disable', ...withCluster(''), '--yes'], says: /--cluster is empty/ },
    { argv: ['disable', ...withGroup(''), '--yes'], says: /--resource-group is empty/ },
    { argv: ['disable', ...withCluster('a/b'), '--dry-run'], says: /path separator/ },
    { argv: ['disable', ...withGroup(LONG), '--dry-run'], says: /10000 characters/ },
    { argv: ['disable', ...C, '--delete-subnets'], says: /--delete-subnets/ },
    { argv: ['disable', '--cluster', 'aks-demo'], says: /--resource-group/ },
    {
      why: 'a cluster that does not exist',
      argv: ['disable', ...withCluster('aks-nope'), '--dry-run'],
      exit: 1,
      local: false,
      says: /aks-nope/,
    },
  ],
  status: [
    { argv: ['status', '-g', 'rg-aks'], says: /--cluster/ },
    { argv: ['status', ...withCluster('')], says: /--cluster is empty/ },
    { argv: ['status', ...withCluster(LONG)], says: /10000 characters/ },
    { argv: ['status', ...withGroup('x y')], says: /"x y"/ },
    { argv: ['status', ...withGroup('(rg).')], says: /"\(rg\)\."/ },
    { argv: ['status', ...C, '--kubeconfig', MISSING], says: /does not exist/ },
    { argv: ['status', ...C, '--kubeconfig', GARBAGE], says: /garbage\.txt/ },
    { argv: ['status', ...C, '--kubeconfig', KUBECONFIG_OTHER, '--context', 'nope'], says: /nope/ },
    { argv: ['status', ...C, '--context', ''], says: /--context/ },
    {
      why: 'a cluster that does not exist',
      argv: ['status', ...withCluster('aks-nope')],
      exit: 1,
      local: false,
      says: /aks-nope/,
    },
  ],
  lint: [
    { argv: ['lint'], says: /Nothing to lint/ },
    { argv: ['lint', '--stack', 'v3', 'k8s/'], says: /--stack "v3"/ },
    { argv: ['lint', '--skip'], says: /--skip/ },
    { argv: ['lint', ...withCluster('')], says: /--cluster is empty/ },
    { argv: ['lint', ...withCluster('a/b')], says: /path separator/ },
    { argv: ['lint', ...withGroup('rg.')], says: /"rg\."/ },
    { argv: ['lint', '--cluster', 'aks-demo'], says: /--cluster and -g go together/ },
    { argv: ['lint', ...C, '-n', ''], says: /--namespace is empty/ },
    { argv: ['lint', ...C, '-n', 'Kube_System'], says: /"Kube_System" is not a Kubernetes namespace/ },
    { argv: ['lint', ...C, '-n', 'default', '-A'], says: /--namespace and --all-namespaces/ },
    { argv: ['lint', '--kubeconfig', MISSING], says: /does not exist/ },
    { argv: ['lint', 'k8s/', ...C], says: /cannot be mixed/ },
  ],
  provider: [
    { argv: ['provider', 'run', '--foreground', ...withCluster('a/b')], says: /path separator/ },
    { argv: ['provider', 'run', '--foreground', ...withCluster('')], says: /--cluster/ },
    { argv: ['provider', 'run', '--foreground', ...withGroup('x'.repeat(91))], says: /at most 90/ },
    { argv: ['provider', 'run', '--foreground', ...C, '--sync-interval', 'soon'], says: /--sync-interval "soon"/ },
    { argv: ['provider', 'logs'], says: /pod/ },
    { argv: ['provider', 'logs', 'p', ...withCluster('a/b')], says: /path separator/ },
    { argv: ['provider', 'logs', 'p', ...C, '-n', ''], says: /--namespace is empty/ },
    { argv: ['provider', 'logs', 'p', ...C, '-n', 'Bad_NS'], says: /"Bad_NS" is not a Kubernetes namespace/ },
    { argv: ['provider', 'logs', 'p', ...C, '--tail', '-1'], says: /--tail/ },
    { argv: ['provider', 'logs', 'p', ...C, '--since', 'x'], says: /--since "x"/ },
    { argv: ['provider', 'translate', MISSING], says: /missing/ },
    { argv: ['provider', 'translate', GARBAGE], says: /garbage\.txt/ },
  ],
  'emulator start': [
    { argv: ['emulator', 'start', '--port', 'http'], says: /--port "http"/ },
    { argv: ['emulator', 'start', '--port', '70000'], says: /--port "70000"/ },
    { argv: ['emulator', 'start', '--port', '-1'], says: /--port/ },
    { argv: ['emulator', 'start', '--port', '0x50'], says: /--port "0x50"/ },
    { argv: ['emulator', 'start', '--write-env', MISSING], says: /missing\/file/ },
    { argv: ['emulator', 'start', '--write-env', DIRECTORY], says: /a-directory/ },
    { argv: ['emulator', 'start', '--latency', '1e3'], says: /--latency "1e3"/ },
    { argv: ['emulator', 'start', '--latency', '-5'], says: /--latency/ },
    { argv: ['emulator', 'start', '--latency', 'slow'], says: /--latency "slow"/ },
    { argv: ['emulator', 'start', '--lro-delay', 'abc'], says: /--lro-delay "abc"/ },
    { argv: ['emulator', 'start', '--faults', 'bogus'], says: /bogus/ },
    { argv: ['emulator', 'start', '--faults', '429:'], says: /RATE/ },
    { argv: ['emulator', 'start', '--faults', '429:2'], says: /rate '2'/ },
    { argv: ['emulator', 'start', '--faults', 'drop/5:x1'], says: /takes no/ },
    { argv: ['emulator', 'start', '--scenario', 'nonesuch'], says: /nonesuch/ },
    {
      argv: ['emulator', 'start', '--scenario', join(dir, 'missing.yaml')],
      says: /missing\.yaml: the file does not exist/,
    },
    { argv: ['emulator', 'start', '--scenario', DIRECTORY + '.yaml'], says: /a-directory\.yaml/ },
    {
      argv: ['emulator', 'start', '--scenario', SCENARIOS.invalidYaml],
      says: /invalid\.yaml, line 3: .*not valid YAML/,
    },
    { argv: ['emulator', 'start', '--scenario', SCENARIOS.list], says: /list\.yaml: .*not a mapping/ },
    {
      argv: ['emulator', 'start', '--scenario', SCENARIOS.unknownKey],
      says: /unknown-key\.yaml, line 2: unknown key 'resourceGroup'/,
    },
    {
      argv: ['emulator', 'start', '--scenario', SCENARIOS.badExtends],
      says: /bad-extends\.yaml, line 1: 'extends: no-such-parent'/,
    },
    { argv: ['emulator', 'start', '--scenario', SCENARIOS.pageSize], says: /page-size\.yaml, line 1: pageSize/ },
    {
      argv: ['emulator', 'start', '--scenario', SCENARIOS.notList],
      says: /not-list\.yaml, line 1: 'resources' must be a list/,
    },
  ],
  demo: [
    { argv: ['demo', '-o', 'json'], says: /no JSON output/, json: false },
    { argv: ['demo', '--scenario', 'unknown'], says: /unknown/, json: false },
    { argv: ['demo', '--scenario', SCENARIOS.list], says: /list\.yaml/, json: false },
  ],
  'global options and environment': [
    { argv: [...REGION, '--subscription', ''], says: /--subscription is empty/ },
    { argv: [...REGION, '--subscription', 'my-subscription'], says: /"my-subscription" is not a subscription id/ },
    { argv: [...REGION, '--subscription', '1234'], says: /"1234"/ },
    // With -o json appended, `-o` would become the subscription value: the table run is the case.
    { argv: [...REGION, '--subscription'], says: /--subscription/, json: false },
    { argv: REGION, env: { VNODES_SUBSCRIPTION_ID: 'not-a-guid' }, says: /VNODES_SUBSCRIPTION_ID "not-a-guid"/ },
    { argv: REGION, env: { AZURE_SUBSCRIPTION_ID: 'nope' }, says: /AZURE_SUBSCRIPTION_ID "nope"/ },
    { argv: [...REGION, '--cloud', 'Mars'], says: /Unknown cloud "Mars"/ },
    { argv: [...REGION, '--cloud', ''], says: /--cloud is empty/ },
    { argv: REGION, env: { VNODES_CLOUD: 'AzureMoon' }, says: /AzureMoon/ },
    { argv: REGION, env: { VNODES_ARM_ENDPOINT: 'http://127.0.0.1:1/' }, says: /not HTTPS/ },
    { argv: REGION, env: { VNODES_ARM_ENDPOINT: 'not a url' }, says: /"not a url" is not a URL/ },
    { argv: REGION, env: { VNODES_ARM_ENDPOINT: 'ftp://127.0.0.1/' }, says: /not HTTPS/ },
    { argv: REGION, env: { VNODES_ARM_CA_FILE: MISSING }, says: /VNODES_ARM_CA_FILE .* cannot be read \(ENOENT\)/ },
    { argv: REGION, env: { VNODES_ARM_CA_FILE: GARBAGE }, says: /VNODES_ARM_CA_FILE .* holds no PEM certificate/ },
    { argv: REGION, env: { VNODES_ARM_CA_FILE: EMPTY }, says: /VNODES_ARM_CA_FILE .* holds no PEM/ },
    { argv: REGION, env: { VNODES_ARM_CA_FILE: DIRECTORY }, says: /VNODES_ARM_CA_FILE .* \(EISDIR\)/ },
    { argv: REGION, env: { VNODES_ARM_CA_FILE: BAD_PEM }, says: /VNODES_ARM_CA_FILE .* does not parse/ },
    { argv: [...REGION, '-o', 'yaml'], says: /yaml/, json: false },
    { argv: [...REGION, '--output=xml'], says: /xml/, json: false },
    { argv: [...REGION, '--verbose'], says: /--verbose/ },
    { argv: ['chek-region', '-l', 'eastus'], says: /chek-region/ },
    { argv: ['--subscription', '', 'status', ...C], says: /--subscription/ },
  ],
};

const CASES = Object.entries(ROWS).flatMap(([command, rows]) =>
  rows.map((row) => ({ command, row, name: `${command}: ${row.why ?? row.argv.join(' ').slice(0, 100)}` })),
);

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy' });
});
afterAll(() => emu.close());
beforeEach(() => emu.requests.clear());

function envFor(row: Row): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...emu.env(), ...row.env };
  for (const [k, v] of Object.entries(row.env ?? {})) if (v === undefined) delete env[k];
  // An explicit VNODES_SUBSCRIPTION_ID would beat the emulator's AZURE_SUBSCRIPTION_ID row.
  return env;
}

const STACK = /^\s+at .+[(\s].*:\d+:\d+\)?$|node:internal/m;

describe('bad input', () => {
  it('covers at least 100 inputs across every command', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(CASES)('$name', async ({ row }) => {
    const exit = row.exit ?? 2;
    const r = await run(row.argv, envFor(row));
    const context = `stderr:\n${r.stderr}\nstdout:\n${r.stdout}`;
    expect(r.exitCode, context).toBe(exit);
    const errorLines = r.stderr.split('\n').filter((l) => /^(internal )?error:/.test(l));
    expect(errorLines, context).toHaveLength(1);
    expect(errorLines[0], context).not.toMatch(/^internal error/);
    if (row.says) expect(errorLines[0], context).toMatch(row.says);
    expect(r.stderr, context).toMatch(/^fix: \S/m);
    expect(r.stderr, context).not.toMatch(STACK);
    // Asked for JSON on the command line itself: the one document is checked below.
    if (!row.argv.includes('-o')) expect(r.stdout, context).toBe('');
    if (row.local ?? true) expect(emu.requests.count(), `requests made for local input\n${context}`).toBe(0);

    if (row.json ?? true) {
      emu.requests.clear();
      const j = await run([...row.argv, '-o', 'json'], envFor(row));
      expect(j.exitCode, j.stderr).toBe(exit);
      const doc = j.json();
      expect(doc, j.stdout).toMatchObject({ schemaVersion: 1, kind: 'error', error: { exitCode: exit } });
      expect(doc.error.code, j.stdout).toMatch(/^VNODES_[A-Z_]+$/);
      expect(j.stderr, j.stderr).not.toMatch(STACK);
      if (row.local ?? true) expect(emu.requests.count()).toBe(0);
    }
  });
});

describe('empty environment variables mean unset', () => {
  it('VNODES_CLOUD="" and VNODES_ARM_CA_FILE="" fall back to their defaults', async () => {
    // The emulator's CA is also in NODE_EXTRA_CA_CERTS? No: without VNODES_ARM_CA_FILE the TLS check fails, so the
    // CA file stays set and only the empty ones are tested for falling back.
    const r = await run(REGION, {
      ...emu.env(),
      VNODES_CLOUD: '',
      VNODES_SUBSCRIPTION_ID: '',
      VNODES_ARM_AUDIENCE: '',
    });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('an empty VNODES_ARM_CA_FILE is unset: the emulator is then untrusted, which says how to fix it', async () => {
    const r = await run(REGION, { ...emu.env(), VNODES_ARM_CA_FILE: '' });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: .*not trusted/m);
    expect(r.stderr).toMatch(/^fix: .*VNODES_ARM_CA_FILE/m);
  });
});
