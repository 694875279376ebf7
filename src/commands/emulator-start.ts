import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { assertWritableFile, shellQuote, writeEnvFile } from './env-file.js';
import { integer, nonEmpty } from './parse.js';
import { scenarioUsageError } from './scenario-usage.js';
import type { StreamingCommand } from './types.js';

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

/** What `emulator start` reports as it runs. */
export type EmulatorEvent =
  { type: 'serving'; armEndpoint: string; scenario: string; env: Record<string, string> } | { type: 'stopped' };

/** `vnodes emulator start`: serve the emulator until SIGINT/SIGTERM, printing how to point vnodes at it. */
export const command: StreamingCommand<EmulatorStartOptions, EmulatorEvent> = {
  streaming: true,
  kind: 'emulator',
  globalFlags: ['output', 'debug', 'color'],
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
      scenario: nonEmpty('--scenario', raw.scenario, { example: 'healthy' }),
      port: integer('--port', raw.port, { min: 0, max: 65535 }),
      latencyMs: integer('--latency', raw.latency, { min: 0, max: 60_000 }),
      ...(raw.faults !== undefined ? { faults: nonEmpty('--faults', raw.faults, { example: '429:x2' }) } : {}),
      ...(raw.writeEnv !== undefined
        ? { envFile: nonEmpty('--write-env', raw.writeEnv, { example: '/tmp/vnodes.env' }) }
        : {}),
      ...(raw.lroDelay !== undefined
        ? { lroDelayMs: integer('--lro-delay', raw.lroDelay, { min: 0, max: 600_000 }) }
        : {}),
      ...(raw.azConfig !== undefined
        ? { azConfig: nonEmpty('--az-config', raw.azConfig, { example: '/tmp/vnodes-az' }) }
        : {}),
    };
  },
  async run(options, deps, sink) {
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
    const envFile = options.envFile === undefined ? undefined : resolve(deps.cwd, options.envFile);
    // Judged before anything starts: a script waiting for the file must not wait for one that can never come.
    if (envFile !== undefined) await assertWritableFile(envFile, options.envFile!);
    const { providerConnectorRuntime } = await import('../provider/connector-runtime.js');
    const emulator = await startEmulator({
      // The emulated add-on's connector is vnodes' own provider, in this process.
      connectorRuntime: providerConnectorRuntime({ version: deps.version }),
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
    // From here on every way out closes the emulator, which also removes its temporary CA directory.
    try {
      let env = emulator.env();
      if (options.azConfig !== undefined) {
        const dir = resolve(deps.cwd, options.azConfig);
        try {
          env = { ...env, ...(await prepareAzConfig(dir, emulator)) };
        } catch (error) {
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
      if (envFile !== undefined) await writeEnvFile(envFile, options.envFile!, env);
      sink.emit({ type: 'serving', armEndpoint: emulator.armEndpoint, scenario: options.scenario, env });
      await new Promise<void>((resolve) => {
        if (deps.signal.aborted) resolve();
        deps.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await emulator.close();
    }
    sink.emit({ type: 'stopped' });
  },
  renderEvent(event) {
    if (event.type === 'stopped') return { stderr: 'Emulator stopped.\n' };
    return {
      stdout: Object.entries(event.env)
        .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
        .join(''),
      stderr: `Emulator serving ${event.scenario} at ${event.armEndpoint} (Ctrl-C to stop).\n`,
    };
  },
};
