// The life of an emulated container group, KWOK-style: each container goes through stages (pull → start → run →
// exit → back-off → restart …), each stage a delay plus a deterministic jitter, each with the state and events ACI
// reports. It is a pure function of the group's spec, when it started and the time now: no timers, so a GET at any
// moment sees exactly where the group is, and the same inputs always give the same answer.
import { type Workload, workloadOf } from './images.js';

/** How long each stage takes (milliseconds). Small by default, so tests are quick; `aciTiming` option. */
export interface AciTiming {
  /** Pulling the image. */
  pullMs: number;
  /** From pulled to started. */
  startMs: number;
  /** How long a container that exits (emulator/exit, crashloop, oom; an init container) runs first. */
  runMs: number;
  /** First back-off before a restart (or a pull retry); it doubles per restart up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Up to this much is added to every stage, fixed per group, container and stage (a seeded hash, not random). */
  jitterMs: number;
  /** How often a running container prints a log line. */
  logIntervalMs: number;
}

export const DEFAULT_ACI_TIMING: AciTiming = {
  pullMs: 20,
  startMs: 10,
  runMs: 200,
  backoffMs: 100,
  maxBackoffMs: 800,
  jitterMs: 0,
  logIntervalMs: 1000,
};

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** `currentState` / `previousState` as ACI's ContainerState: times are epoch ms here, ISO strings in the body. */
export interface ContainerState {
  state: 'Waiting' | 'Running' | 'Terminated';
  startTime?: number;
  finishTime?: number;
  exitCode?: number;
  detailStatus: string;
}

/** One ACI event, aggregated by name and message as ACI (and the kubelet under it) counts repeats. */
export interface AciEvent {
  name: string;
  message: string;
  type: 'Normal' | 'Warning';
  count: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

/** Where one container is at `now`. */
export interface ContainerRun {
  name: string;
  image: string;
  currentState: ContainerState;
  previousState?: ContainerState;
  restartCount: number;
  events: AciEvent[];
  /** The image whose behaviour it has (a scenario's `images` rule), when not its own. */
  behaves?: string;
  /** Start of the current (or last) run: what its logs cover. */
  runStartedAt?: number;
  /** When it ended for good (no restart coming), with its exit code. */
  endedAt?: number;
  exitCode?: number;
}

export interface GroupSpec {
  id: string;
  restartPolicy: RestartPolicy;
  initContainers: ContainerSpec[];
  containers: ContainerSpec[];
}

/** A container as the lifecycle sees it: its name, image, and the image whose behaviour it has (default its own). */
export interface ContainerSpec {
  name: string;
  image: string;
  behaves?: string;
}

/** ACI's group-level `instanceView.state`. */
export type GroupState = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface GroupRun {
  state: GroupState;
  initContainers: ContainerRun[];
  containers: ContainerRun[];
}

/** A stable fraction in [0, 1) for a key (FNV-1a): the jitter of one stage of one container of one group. */
function fraction(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h / 0x100000000;
}

/** Most restarts simulated for one container; past it the container stays in its last back-off (a bound, not a rule). */
const MAX_CYCLES = 10_000;

class Events {
  private readonly byKey = new Map<string, AciEvent>();
  add(name: string, message: string, type: 'Normal' | 'Warning', at: number): void {
    const key = `${name}\n${message}`;
    const e = this.byKey.get(key);
    if (e === undefined) this.byKey.set(key, { name, message, type, count: 1, firstTimestamp: at, lastTimestamp: at });
    else {
      e.count += 1;
      e.lastTimestamp = at;
    }
  }
  list(): AciEvent[] {
    return [...this.byKey.values()].sort((a, b) => a.firstTimestamp - b.firstTimestamp);
  }
}

const restarts = (policy: RestartPolicy, code: number, init: boolean): boolean =>
  init ? policy !== 'Never' && code !== 0 : policy === 'Always' || (policy === 'OnFailure' && code !== 0);

/**
 * One container from `from` (the moment its pull begins) to `now`. Event names and messages are the ones ACI shows
 * (Pulling/Pulled/Created/Started, from the kubelet beneath it; BackOff and Failed on trouble).
 */
function simulate(
  spec: ContainerSpec,
  work: Workload,
  from: number,
  now: number,
  policy: RestartPolicy,
  timing: AciTiming,
  key: string,
  init: boolean,
): ContainerRun {
  const events = new Events();
  const jitter = (stage: string): number => Math.floor(timing.jitterMs * fraction(`${key}/${stage}`));
  const backoff = (n: number): number => Math.min(timing.backoffMs * 2 ** n, timing.maxBackoffMs);
  const base = {
    name: spec.name,
    image: spec.image,
    ...(spec.behaves === undefined ? {} : { behaves: spec.behaves }),
    restartCount: 0,
  };
  const waiting = (detailStatus: string): ContainerState => ({ state: 'Waiting', detailStatus });
  if (from > now) return { ...base, currentState: waiting(init ? 'Waiting' : 'PodInitializing'), events: [] };
  events.add('Pulling', `pulling image "${spec.image}"`, 'Normal', from);
  let t = from + timing.pullMs + jitter('pull');
  if (work.pullFails) {
    for (let n = 0; t <= now && n < MAX_CYCLES; n++) {
      events.add('Failed', `Failed to pull image "${spec.image}": manifest unknown`, 'Warning', t);
      events.add('BackOff', `Back-off pulling image "${spec.image}"`, 'Normal', t);
      t += backoff(n);
      if (t <= now) events.add('Pulling', `pulling image "${spec.image}"`, 'Normal', t);
      t += timing.pullMs;
    }
    return {
      ...base,
      currentState: waiting(`ImagePullBackOff: Back-off pulling image "${spec.image}"`),
      events: events.list(),
    };
  }
  if (t > now) return { ...base, currentState: waiting('Waiting'), events: events.list() };
  events.add('Pulled', `Successfully pulled image "${spec.image}"`, 'Normal', t);
  t += timing.startMs + jitter('start');
  if (t > now) return { ...base, currentState: waiting('ContainerCreating'), events: events.list() };
  let previousState: ContainerState | undefined;
  for (let n = 0; n < MAX_CYCLES; n++) {
    events.add('Created', 'Created container', 'Normal', t);
    events.add('Started', 'Started container', 'Normal', t);
    const running = { ...base, restartCount: n, runStartedAt: t, events: [] as AciEvent[] };
    const withPrev = previousState === undefined ? {} : { previousState };
    const end = work.exitCode === undefined ? Infinity : t + timing.runMs + jitter(`run${n}`);
    if (end > now) {
      return {
        ...running,
        ...withPrev,
        currentState: { state: 'Running', startTime: t, detailStatus: '' },
        events: events.list(),
      };
    }
    const code = work.exitCode ?? 0;
    const terminated: ContainerState = {
      state: 'Terminated',
      startTime: t,
      finishTime: end,
      exitCode: code,
      detailStatus: work.reason ?? (code === 0 ? 'Completed' : 'Error'),
    };
    if (work.reason === 'OOMKilled') events.add('Killing', 'Killing container: out of memory', 'Warning', end);
    if (!restarts(policy, code, init)) {
      return { ...running, ...withPrev, currentState: terminated, endedAt: end, exitCode: code, events: events.list() };
    }
    events.add('BackOff', 'Back-off restarting failed container', 'Warning', end);
    previousState = terminated;
    const next = end + backoff(n);
    if (next > now || n + 1 === MAX_CYCLES) {
      return {
        ...running,
        previousState,
        currentState: waiting('CrashLoopBackOff: Back-off restarting failed'),
        events: events.list(),
      };
    }
    t = next;
  }
  throw new Error('unreachable');
}

/**
 * Where a container group is at `now`, having started (its create finished) at `startedAt`: init containers one
 * after the other, each to exit 0 (a failing one is retried unless restartPolicy is Never, which fails the group),
 * then every container at once. The group is Pending until its containers start, Running while any runs or waits to
 * restart, and Succeeded (all exited 0) or Failed once none will run again.
 */
export function runGroup(
  spec: GroupSpec,
  startedAt: number,
  now: number,
  timing: AciTiming = DEFAULT_ACI_TIMING,
): GroupRun {
  const initContainers: ContainerRun[] = [];
  let from = startedAt;
  let initFailed = false;
  for (const c of spec.initContainers) {
    const run = simulate(
      c,
      workloadOf(c.behaves ?? c.image, true),
      from,
      now,
      spec.restartPolicy,
      timing,
      `${spec.id}/init/${c.name}`,
      true,
    );
    initContainers.push(run);
    if (run.endedAt === undefined || run.exitCode !== 0) {
      initFailed = run.endedAt !== undefined;
      from = Infinity;
    } else from = run.endedAt;
  }
  const containers = spec.containers.map((c) =>
    simulate(c, workloadOf(c.behaves ?? c.image), from, now, spec.restartPolicy, timing, `${spec.id}/${c.name}`, false),
  );
  return { state: initFailed ? 'Failed' : groupState(containers), initContainers, containers };
}

function groupState(containers: ContainerRun[]): GroupState {
  if (containers.length > 0 && containers.every((c) => c.endedAt !== undefined)) {
    return containers.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  const started = containers.some((c) => c.runStartedAt !== undefined);
  return started ? 'Running' : 'Pending';
}
