// The staged life of an emulated container group: a pure function of its spec, its start and the time now.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACI_TIMING, type GroupSpec, runGroup } from '../../src/emulator/arm/aci/lifecycle.js';
import { behaviourImage, reachableRegistry, registryOf, workloadOf } from '../../src/emulator/arm/aci/images.js';
import { logContent, logLines } from '../../src/emulator/arm/aci/logs.js';

const T = {
  ...DEFAULT_ACI_TIMING,
  pullMs: 10,
  startMs: 5,
  runMs: 100,
  backoffMs: 50,
  maxBackoffMs: 200,
  logIntervalMs: 30,
};
const spec = (image: string, restartPolicy: GroupSpec['restartPolicy'] = 'Always', init: string[] = []): GroupSpec => ({
  id: 'g',
  restartPolicy,
  initContainers: init.map((image, i) => ({ name: `init${i}`, image })),
  containers: [{ name: 'app', image }],
});

describe('aci images', () => {
  it.each([
    ['nginx', 'docker.io', true],
    ['library/nginx:1.27', 'docker.io', true],
    ['mcr.microsoft.com/azuredocs/aci-helloworld', 'mcr.microsoft.com', true],
    ['myacr.azurecr.io/app:1', 'myacr.azurecr.io', true],
    ['localhost:5000/app', 'localhost:5000', false],
    ['registry.invalid.example/app', 'registry.invalid.example', false],
  ])('%s is on %s (reachable: %s)', (image, host, reachable) => {
    expect(registryOf(image)).toBe(host);
    expect(reachableRegistry(image)).toBe(reachable);
  });

  it.each([
    ['nginx', false, { pullFails: false }],
    ['nginx', true, { pullFails: false, exitCode: 0 }],
    ['emulator/exit', false, { pullFails: false, exitCode: 0 }],
    ['emulator/exit:42', false, { pullFails: false, exitCode: 42 }],
    ['docker.io/emulator/crashloop', false, { pullFails: false, exitCode: 1 }],
    ['emulator/crashloop:7', false, { pullFails: false, exitCode: 7 }],
    ['emulator/oom', false, { pullFails: false, exitCode: 137, reason: 'OOMKilled' }],
    ['emulator/pull-backoff', false, { pullFails: true }],
  ])('%s (init: %s) behaves as %o', (image, init, want) => {
    expect(workloadOf(image, init)).toEqual(want);
  });
});

describe('aci lifecycle', () => {
  it.each([
    // [image, policy, ms after start, group state, container state, restartCount]
    ['nginx', 'Always', 5, 'Pending', 'Waiting', 0],
    ['nginx', 'Always', 14, 'Pending', 'Waiting', 0],
    ['nginx', 'Always', 15, 'Running', 'Running', 0],
    ['nginx', 'Always', 1e7, 'Running', 'Running', 0],
    ['emulator/exit:3', 'Never', 114, 'Running', 'Running', 0],
    ['emulator/exit:3', 'Never', 115, 'Failed', 'Terminated', 0],
    ['emulator/exit:0', 'OnFailure', 200, 'Succeeded', 'Terminated', 0],
    ['emulator/exit:3', 'OnFailure', 150, 'Running', 'Waiting', 0],
    ['emulator/exit:3', 'OnFailure', 165, 'Running', 'Running', 1],
    ['emulator/crashloop', 'Always', 165 + 100 + 100 + 1, 'Running', 'Running', 2],
    ['emulator/oom', 'Never', 200, 'Failed', 'Terminated', 0],
    ['emulator/pull-backoff', 'Always', 1000, 'Pending', 'Waiting', 0],
  ] as const)(
    '%s under %s at +%i ms: group %s, container %s, %i restarts',
    (image, policy, at, group, state, restarts) => {
      const run = runGroup(spec(image, policy), 0, at, T);
      expect(run.state).toBe(group);
      expect(run.containers[0]!.currentState.state).toBe(state);
      expect(run.containers[0]!.restartCount).toBe(restarts);
    },
  );

  it('aggregates repeated events by name and message, as ACI counts them', () => {
    const c = runGroup(spec('emulator/crashloop'), 0, 2000, T).containers[0]!;
    const started = c.events.find((e) => e.name === 'Started')!;
    expect(started.count).toBe(c.restartCount + 1);
    expect(started.lastTimestamp).toBeGreaterThan(started.firstTimestamp);
    expect(c.previousState).toMatchObject({ state: 'Terminated', exitCode: 1, detailStatus: 'Error' });
  });

  it('runs init containers first, one after the other; a failing one under Never fails the group', () => {
    const ok = runGroup(spec('nginx', 'Always', ['busybox', 'busybox']), 0, 2 * 115 + 14, T);
    expect(ok.initContainers.map((c) => c.currentState.state)).toEqual(['Terminated', 'Terminated']);
    expect(ok.containers[0]!.currentState.state).toBe('Waiting');
    expect(runGroup(spec('nginx', 'Always', ['busybox']), 0, 115 + 15, T).containers[0]!.currentState.state).toBe(
      'Running',
    );
    const failed = runGroup(spec('nginx', 'Never', ['emulator/exit:1']), 0, 1000, T);
    expect(failed.state).toBe('Failed');
    expect(failed.containers[0]!.currentState).toMatchObject({ state: 'Waiting', detailStatus: 'PodInitializing' });
  });

  it('adds a fixed jitter per group, container and stage', () => {
    const jittery = { ...T, jitterMs: 1000 };
    const a = runGroup(spec('nginx'), 0, 5000, jittery).containers[0]!.runStartedAt;
    expect(runGroup(spec('nginx'), 0, 5000, jittery).containers[0]!.runStartedAt).toBe(a);
    expect(a).toBeGreaterThanOrEqual(15);
    expect(a).toBeLessThan(15 + 2000);
  });

  it('prints deterministic log lines for the current run', () => {
    const c = runGroup(spec('emulator/exit:2', 'Never'), 0, 1000, T).containers[0]!;
    expect(logContent(logLines(c, 1000, T), {})).toBe(
      'app: starting emulator/exit:2 (run 1)\napp: tick 1\napp: tick 2\napp: tick 3\napp: exiting with code 2\n',
    );
    expect(logContent(logLines(c, 1000, T), { tail: 1, timestamps: true })).toBe(
      '1970-01-01T00:00:00.115Z app: exiting with code 2\n',
    );
  });
});

describe('scenario image rules', () => {
  const rules = [
    { image: 'contoso.azurecr.io/api:*', as: 'emulator/exit:3' },
    { image: '*/web:1.?', as: 'nginx' },
  ];
  it.each([
    ['contoso.azurecr.io/api:7', 'emulator/exit:3'],
    ['CONTOSO.azurecr.io/api:7', 'emulator/exit:3'],
    ['contoso.azurecr.io/other:7', 'contoso.azurecr.io/other:7'],
    ['x/web:1.?', 'nginx'],
    ['x/web:1.2', 'x/web:1.2'],
  ])('%s behaves as %s', (image, want) => expect(behaviourImage(image, rules)).toBe(want));
});
