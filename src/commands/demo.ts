import { Command } from 'commander';
import { ExitCode, InterruptedError, UsageError, VnodesError } from '../errors.js';
import type { Deps } from '../deps.js';
import { nonEmpty } from './parse.js';
import { scenarioUsageError } from './scenario-usage.js';
import type { CommandModule } from './types.js';

/** Options of `vnodes demo`. */
export interface DemoOptions {
  scenario: string;
}

/** One step of the demo: an ordinary vnodes command line, and the command module that runs it. */
interface DemoStep {
  path: string[];
  args: string[];
  /** Runs with the global --yes (it writes). */
  yes?: boolean;
  load(): Promise<{ command: CommandModule<any, any> }>;
}

/** The step that applies the sample deployment `enable` prints, as `kubectl apply` would, and waits for its pod. */
const APPLY_SAMPLE = '@apply-sample';
/** Stands for the sample pod's name in later steps. */
const SAMPLE_POD = '@sample-pod';

/**
 * The steps the demo runs against the in-process emulator. Each is run through its command module and the shared
 * executor (not through cli.ts, which lists the demo itself: importing it would close a circle).
 */
const DEMO_STEPS: DemoStep[] = [
  {
    path: ['check-region'],
    args: ['--location', 'East US', '--cpu', '2', '--memory', '4'],
    load: () => import('./check-region.js'),
  },
  {
    path: ['check-network'],
    args: ['--cluster', 'aks-demo', '-g', 'rg-aks'],
    load: () => import('./check-network.js'),
  },
  {
    path: ['subnet', 'create'],
    args: ['--cluster', 'aks-demo', '-g', 'rg-aks', '--dry-run'],
    load: () => import('./subnet-create.js'),
  },
  {
    path: ['enable'],
    args: ['--cluster', 'aks-demo', '-g', 'rg-aks', '--poll-interval', '500ms'],
    yes: true,
    load: () => import('./enable.js'),
  },
  // `kubectl apply` of the sample deployment enable prints; its pod Running on the virtual node (see applySample).
  { path: [APPLY_SAMPLE], args: [], load: () => Promise.reject(new Error('not a command')) },
  { path: ['status'], args: ['--cluster', 'aks-demo', '-g', 'rg-aks'], load: () => import('./status.js') },
  {
    path: ['provider', 'logs'],
    args: [SAMPLE_POD, '--cluster', 'aks-demo', '-g', 'rg-aks', '--tail', '3'],
    load: () => import('./provider-logs.js'),
  },
];

/** `vnodes demo`: the README's first run, offline. */
export const command: CommandModule<DemoOptions, undefined> = {
  // It runs against its own emulator and has no JSON output: no subscription, cloud, -o or --yes to choose.
  globalFlags: ['debug', 'color'],
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
    return { scenario: nonEmpty('--scenario', raw.scenario, { example: 'healthy' }) };
  },
  async run(options, deps) {
    const [{ listScenarios, ScenarioError, startEmulator }, { providerConnectorRuntime }] = await Promise.all([
      import('../emulator/index.js'),
      import('../provider/connector-runtime.js'),
    ]);
    // The emulated add-on's connector is vnodes' own provider: pods on the virtual node really run (emulated).
    const emulator = await startEmulator({
      scenario: options.scenario,
      connectorRuntime: providerConnectorRuntime({ version: deps.version }),
    }).catch((error: unknown) => {
      throw error instanceof ScenarioError ? scenarioUsageError(error, listScenarios()) : error;
    });
    const out = (s: string) => deps.stdout.write(s);
    try {
      out(`vnodes demo: an emulated Azure (scenario "${options.scenario}") is running at ${emulator.armEndpoint}\n`);
      out('Nothing here touches a real subscription. Each step is an ordinary vnodes command line.\n');
      let failed = 0;
      let samplePod = 'aci-helloworld';
      for (const template of DEMO_STEPS) {
        if (deps.signal.aborted) throw new InterruptedError();
        if (template.path[0] === APPLY_SAMPLE) {
          const pod = await applySample(emulator, out, deps.signal);
          if (pod === undefined) failed++;
          else samplePod = pod;
          continue;
        }
        const step = { ...template, args: template.args.map((w) => (w === SAMPLE_POD ? samplePod : w)) };
        const shown = [...step.path, ...step.args, ...(step.yes ? ['--yes'] : [])];
        out(`\n$ vnodes ${shown.map((w) => (w.includes(' ') ? `"${w}"` : w)).join(' ')}\n`);
        const code = await runStep(step, deps, { ...withoutAzureSettings(deps.env), ...emulator.env() });
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

/** Parses the step's arguments with the command's own options and runs it as `vnodes` would. */
async function runStep(step: DemoStep, deps: Deps, env: Record<string, string | undefined>): Promise<number> {
  const [{ command: module }, { execute }] = await Promise.all([step.load(), import('./execute.js')]);
  const cmd = new Command(step.path.join(' ')).exitOverride();
  module.configure(cmd);
  cmd.parse(step.args, { from: 'user' });
  return execute(module, {
    name: step.path.join(' '),
    args: cmd.args,
    raw: cmd.opts(),
    globals: { ...deps.globals, output: 'table', yes: Boolean(step.yes) },
    io: { env, stdout: deps.stdout, stderr: deps.stderr, cwd: deps.cwd },
    signal: deps.signal,
    version: deps.version,
  });
}

/** `kubectl apply` of the sample deployment, then its pod Running on the virtual node; the pod's name, if it got there. */
async function applySample(
  emulator: { kube(): Promise<{ kubeconfig(): string }> },
  out: (s: string) => void,
  signal: AbortSignal,
): Promise<string | undefined> {
  const [{ sampleDeployment }, { applyManifest, waitForPod }, { kubeConfigFromString }] = await Promise.all([
    import('../cluster/sample.js'),
    import('../kube/apply.js'),
    import('../kube/provider-objects.js'),
  ]);
  const config = await kubeConfigFromString((await emulator.kube()).kubeconfig());
  out('\n$ kubectl apply -f aci-helloworld.yaml   # the sample deployment enable printed\n');
  for (const created of await applyManifest(config, sampleDeployment())) out(`${created} applied\n`);
  out('$ kubectl get pods -l app=aci-helloworld -o wide --watch\n');
  const pod = await waitForPod(config, 'default', 'app=aci-helloworld', 'Running', 60_000, signal);
  if (pod === undefined) {
    out('the sample pod did not reach Running within 60 s\n');
    return undefined;
  }
  out(`${pod.metadata?.name}  Running  ${pod.status?.podIP ?? ''}  ${pod.spec?.nodeName}\n`);
  return pod.metadata?.name;
}

/** The user's own Azure and vnodes settings must not leak into the demo (VNODES_SUBSCRIPTION_ID beats the emulator's). */
function withoutAzureSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(VNODES_|AZURE_|KUBECONFIG$)/.test(k)));
}
