import type { Command } from 'commander';
import { ExitCode, InterruptedError, UsageError, VnodesError } from '../errors.js';
import type { CommandModule } from './types.js';

/** Options of `vnodes demo`. */
export interface DemoOptions {
  scenario: string;
}

/** The step that applies the sample deployment `enable` prints, as `kubectl apply` would, and waits for its pod. */
const APPLY_SAMPLE = '@apply-sample';
/** Stands for the sample pod's name in later steps. */
const SAMPLE_POD = '@sample-pod';

/** The steps the demo runs, each a vnodes command line (or the sample step), against the in-process emulator. */
export const DEMO_STEPS: string[][] = [
  ['check-region', '--location', 'East US', '--cpu', '2', '--memory', '4'],
  ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks'],
  ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks', '--dry-run'],
  ['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--poll-interval', '500ms'],
  [APPLY_SAMPLE],
  ['status', '--cluster', 'aks-demo', '-g', 'rg-aks'],
  ['provider', 'logs', SAMPLE_POD, '--cluster', 'aks-demo', '-g', 'rg-aks', '--tail', '3'],
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
    const { startEmulator } = await import('../emulator/index.js');
    const { runCli } = await import('../cli.js');
    const { providerConnectorRuntime } = await import('../provider/connector-runtime.js');
    const emulator = await startEmulator({
      scenario: options.scenario,
      connectorRuntime: providerConnectorRuntime({ version: deps.version }),
    });
    const out = (s: string) => deps.stdout.write(s);
    try {
      out(`vnodes demo: an emulated Azure (scenario "${options.scenario}") is running at ${emulator.armEndpoint}\n`);
      out('Nothing here touches a real subscription. Each step is an ordinary vnodes command line.\n');
      let failed = 0;
      let samplePod = 'aci-helloworld';
      for (const template of DEMO_STEPS) {
        if (deps.signal.aborted) throw new InterruptedError();
        if (template[0] === APPLY_SAMPLE) {
          const pod = await applySample(emulator, out, deps.signal);
          if (pod === undefined) failed++;
          else samplePod = pod;
          continue;
        }
        const step = template.map((w) => (w === SAMPLE_POD ? samplePod : w));
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

function withoutAzureSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(VNODES_|AZURE_|KUBECONFIG$)/.test(k)));
}
