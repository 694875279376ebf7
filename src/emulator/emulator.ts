import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArmFront } from './arm/front.js';
import { createArmState } from './arm/state.js';
import { type FaultRule, parseFaults } from './faults.js';
import type { RequestLog } from './request-log.js';
import { loadScenario } from './scenario/load.js';
import { createCertificateAuthority } from './tls.js';

/** How to start an emulator. Every field is optional. */
export interface EmulatorOptions {
  /** A shipped scenario's name (`listScenarios()`) or a path to a .yaml/.json file; default 'healthy'. */
  scenario?: string;
  /** 0 = a free port (default). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Added to every ARM request. */
  latencyMs?: number;
  /** Fault rules, as the string syntax (see parseFaults) or parsed. */
  faults?: string | FaultRule[];
  /** How long a long-running operation stays InProgress (default 50 ms). */
  lroDelayMs?: number;
  /** Seed of the PRNG behind probabilistic faults (default 1). */
  seed?: number;
  /** Where ca.pem is written (default: a fresh temporary directory, removed on close). */
  stateDir?: string;
}

/** A running emulator: where it is, how to trust and reach it, what it saw, and knobs to turn while it runs. */
export interface Emulator {
  /** 'https://127.0.0.1:PORT/' (trailing slash). */
  readonly armEndpoint: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caPem: string;
  /** The CA PEM on disk. */
  readonly caFile: string;
  /** The bearer token it accepts (random per start). */
  readonly token: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** VNODES_ARM_ENDPOINT, VNODES_ARM_CA_FILE, VNODES_ARM_TOKEN, AZURE_SUBSCRIPTION_ID. */
  env(): Record<string, string>;
  readonly requests: RequestLog;
  /** Replaces the fault rules (and resets their counters). */
  setFaults(faults: string | FaultRule[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Starts an ARM emulator over HTTPS with a certificate generated for this start. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const toRules = (f: string | FaultRule[]): FaultRule[] => (typeof f === 'string' ? parseFaults(f) : f);
  const faults = toRules(options.faults ?? []);
  const scenario = await loadScenario(options.scenario ?? 'healthy');
  const host = options.host ?? '127.0.0.1';
  const ownDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'vnodes-emulator-')));
  await mkdir(stateDir, { recursive: true });
  const ca = await createCertificateAuthority();
  const leaf = await ca.issue([...new Set([host, '127.0.0.1', 'localhost'])]);
  const caFile = join(stateDir, 'ca.pem');
  await writeFile(caFile, ca.cert);
  const token = randomBytes(32).toString('base64url');
  const state = createArmState({
    scenario,
    token,
    latencyMs: options.latencyMs ?? 0,
    lroDelayMs: options.lroDelayMs ?? 50,
    faults,
    seed: options.seed ?? 1,
  });
  const { createServer } = await import('node:https');
  const server = createServer({ key: leaf.key, cert: leaf.cert }, createArmFront(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const armEndpoint = `https://${urlHost(host)}:${port}/`;
  state.baseUrl = armEndpoint;
  const { subscription } = scenario;
  return {
    armEndpoint,
    caPem: ca.cert,
    caFile,
    token,
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
    requests: state.log,
    env: () => ({
      VNODES_ARM_ENDPOINT: armEndpoint,
      VNODES_ARM_CA_FILE: caFile,
      VNODES_ARM_TOKEN: token,
      AZURE_SUBSCRIPTION_ID: subscription.id,
    }),
    setFaults: (f) => state.faults.set(toRules(f)),
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (ownDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}
