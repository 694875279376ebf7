import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { scenarioUsageError } from './scenario-usage.js';
import type { CommandModule } from './types.js';

/** Options of `vnodes emulator start`. */
export interface EmulatorStartOptions {
  scenario: string;
  port: number;
  latencyMs: number;
  faults?: string;
  /** `--write-env`: not `--env-file`, which Node.js 22 itself claims from anywhere on the command line. */
  envFile?: string;
  lroDelayMs?: number;
  /** `--az-config DIR`: an Azure CLI configuration directory to prepare for the emulator (absolute). */
  azConfig?: string;
}

function integer(flag: string, value: unknown, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${flag} "${String(value)}" is not a whole number from ${min} to ${max}.`,
      `Pass e.g. ${flag} ${min === 0 ? 0 : min}.`,
    );
  }
  return n;
}

/** `vnodes emulator start`: serve the emulator until SIGINT/SIGTERM, printing how to point vnodes at it. */
export const command: CommandModule<EmulatorStartOptions, undefined> = {
  configure(cmd: Command) {
    cmd
      .option('--scenario <name|file>', 'scenario name (see docs/emulator.md) or a .yaml/.json file', 'healthy')
      .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
      .option('--latency <ms>', 'added to every ARM request', '0')
      .option('--faults <spec>', "fault rules, e.g. '429:x2:GET */capabilities;503:0.1'")
      .option('--lro-delay <ms>', 'how long long-running operations stay in progress')
      .option('--write-env <path>', 'also write the settings as KEY=VALUE lines to this file (once serving)')
      .option(
        '--az-config <dir>',
        'prepare an Azure CLI config directory signed in to the emulator (see docs/emulator.md)',
      )
      .addHelpText(
        'after',
        '\nExample:\n  vnodes emulator start --scenario no-quota --write-env /tmp/vnodes.env &\n  until [ -s /tmp/vnodes.env ]; do sleep 0.1; done; set -a; . /tmp/vnodes.env; set +a\n  vnodes check-region --location eastus' +
          '\n\nWith the Azure CLI (add --az-config; the file then also points az at the emulator):\n  vnodes emulator start --az-config /tmp/vnodes-az --write-env /tmp/vnodes.env &\n  …\n  az aks show -g rg-aks -n aks-demo',
      );
  },
  parse(_args, raw) {
    return {
      scenario: String(raw.scenario),
      port: integer('--port', raw.port, 0, 65535),
      latencyMs: integer('--latency', raw.latency, 0, 60_000),
      ...(raw.faults !== undefined ? { faults: String(raw.faults) } : {}),
      ...(raw.writeEnv !== undefined ? { envFile: String(raw.writeEnv) } : {}),
      ...(raw.lroDelay !== undefined ? { lroDelayMs: integer('--lro-delay', raw.lroDelay, 0, 600_000) } : {}),
      ...(raw.azConfig !== undefined ? { azConfig: String(raw.azConfig) } : {}),
    };
  },
  async run(options, deps) {
    const {
      AzConfigDirInUse,
      AzConfigDirUnsafe,
      EmulatorPortInUse,
      listScenarios,
      parseFaults,
      prepareAzConfig,
      ScenarioError,
      startEmulator,
    } = await import('../emulator/index.js');
    if (options.faults !== undefined) {
      try {
        parseFaults(options.faults);
      } catch (error) {
        throw new UsageError(
          `--faults: ${(error as Error).message}`,
          "Write rules as KIND:RATE[:PATTERN], e.g. '429:x2:GET */capabilities;503:0.1'.",
        );
      }
    }
    if (
      !options.scenario.includes('/') &&
      !/\.(ya?ml|json)$/.test(options.scenario) &&
      !listScenarios().includes(options.scenario)
    ) {
      throw new UsageError(
        `Unknown scenario "${options.scenario}".`,
        `Use one of ${listScenarios().join(', ')}, or a path to a scenario file.`,
      );
    }
    const emulator = await startEmulator({
      scenario: options.scenario,
      port: options.port,
      latencyMs: options.latencyMs,
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.lroDelayMs !== undefined ? { lroDelayMs: options.lroDelayMs } : {}),
    }).catch((error: unknown) => {
      if (error instanceof EmulatorPortInUse)
        throw new UsageError(
          `--port ${error.port}: ${error.message}`,
          'Pick another port, or pass --port 0 to let the emulator choose a free one.',
        );
      if (error instanceof ScenarioError) throw scenarioUsageError(error, listScenarios());
      throw error;
    });
    let env = emulator.env();
    if (options.azConfig !== undefined) {
      const dir = resolve(deps.cwd, options.azConfig);
      try {
        env = { ...env, ...(await prepareAzConfig(dir, emulator)) };
      } catch (error) {
        await emulator.close();
        if (error instanceof AzConfigDirInUse)
          throw new UsageError(
            `--az-config: ${error.message}`,
            'Name a new or empty directory (never your own ~/.azure); vnodes only rewrites directories it wrote.',
          );
        if (error instanceof AzConfigDirUnsafe)
          throw new UsageError(
            `--az-config: ${error.message}`,
            'Name a directory of your own that only you can write (chmod go-w), or a new one.',
          );
        throw error;
      }
    }
    if (options.envFile) await writeEnvFile(options.envFile, env);
    if (deps.globals.output === 'json') {
      deps.stdout.write(
        JSON.stringify({
          schemaVersion: 1,
          kind: 'emulator',
          armEndpoint: emulator.armEndpoint,
          scenario: options.scenario,
          env,
        }) + '\n',
      );
    } else {
      for (const [k, v] of Object.entries(env)) deps.stdout.write(`export ${k}=${shellQuote(v)}\n`);
    }
    deps.reporter.info(`Emulator serving ${options.scenario} at ${emulator.armEndpoint} (Ctrl-C to stop).`);
    await new Promise<void>((resolve) => {
      if (deps.signal.aborted) resolve();
      deps.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await emulator.close();
    deps.reporter.info('Emulator stopped.');
    return undefined;
  },
};

/**
 * Writes KEY=VALUE lines readable only by the user (they hold the token): to a temporary name of its own, created
 * exclusively (no one can have planted it), then renamed, so a script polling for the file never reads half of it.
 */
async function writeEnvFile(path: string, env: Record<string, string>): Promise<void> {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    await writeFile(
      temp,
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
      { mode: 0o600, flag: 'wx' },
    );
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function shellQuote(value: unknown): string {
  const text = String(value);
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
