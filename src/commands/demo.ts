import type { Command } from 'commander';
import { ExitCode, InterruptedError, UsageError, VnodesError } from '../errors.js';
import { scenarioUsageError } from './scenario-usage.js';
import type { CommandModule } from './types.js';

/** Options of `vnodes demo`. */
export interface DemoOptions {
  scenario: string;
}

/** The steps the demo runs, each a vnodes command line, against the in-process emulator. */
export const DEMO_STEPS: string[][] = [
  ['check-region', '--location', 'East US', '--cpu', '2', '--memory', '4'],
  ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks'],
  ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks', '--dry-run'],
  ['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--poll-interval', '500ms'],
  ['status', '--cluster', 'aks-demo', '-g', 'rg-aks'],
];

/** `vnodes demo`: the README's first run, offline. */
export const command: CommandModule<DemoOptions, undefined> = {
  configure(cmd: Command) {
    cmd.option('--scenario <name>', 'emulator scenario to run the demo on', 'healthy');
  },
  parse(_args, raw, globals) {
    if (globals.output === 'json') {
      throw new UsageError(
        'demo is a walk-through for people and has no JSON output.',
        'Run the commands it shows with -o json against vnodes emulator start instead.',
      );
    }
    return { scenario: String(raw.scenario) };
  },
  async run(options, deps) {
    const { listScenarios, ScenarioError, startEmulator } = await import('../emulator/index.js');
    const { runCli } = await import('../cli.js');
    const emulator = await startEmulator({ scenario: options.scenario }).catch((error: unknown) => {
      throw error instanceof ScenarioError ? scenarioUsageError(error, listScenarios()) : error;
    });
    const out = (s: string) => deps.stdout.write(s);
    try {
      out(`vnodes demo: an emulated Azure (scenario "${options.scenario}") is running at ${emulator.armEndpoint}\n`);
      out('Nothing here touches a real subscription. Each step is an ordinary vnodes command line.\n');
      let failed = 0;
      for (const step of DEMO_STEPS) {
        if (deps.signal.aborted) throw new InterruptedError();
        out(`\n$ vnodes ${step.map((w) => (w.includes(' ') ? `"${w}"` : w)).join(' ')}\n`);
        const code = await runCli([...step, ...(deps.globals.color ? [] : ['--no-color'])], {
          env: { ...withoutAzureSettings(deps.env), ...emulator.env() },
          stdout: deps.stdout,
          stderr: deps.stderr,
          cwd: deps.cwd,
          signal: deps.signal,
        });
        if (code !== ExitCode.ok) failed++;
      }
      out(`\nDone. Point vnodes at your own emulator with: vnodes emulator start --scenario ${options.scenario}\n`);
      if (failed) {
        throw new VnodesError(`${failed} demo step(s) failed on scenario ${options.scenario}.`, {
          code: 'VNODES_DEMO_FAILED',
          remediation: 'Read the step output above; re-run with --debug for the HTTP trace.',
        });
      }
    } finally {
      await emulator.close();
    }
    return undefined;
  },
};

/** The user's own Azure and vnodes settings must not leak into the demo (VNODES_SUBSCRIPTION_ID beats the emulator's). */
function withoutAzureSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(VNODES_|AZURE_|KUBECONFIG$)/.test(k)));
}
