// The instance view of a container group, as ACI's GET shows it: computed from the group's spec, when it started
// and the time now (aci/lifecycle.ts). The start time is kept in the stored body under a key no response carries.
import { jsonList, jsonObject, propertiesOf } from '../context.js';
import type { ImageRule } from '../../scenario/model.js';
import { behaviourImage } from '../aci/images.js';
import type { HandlerContext } from '../handler.js';
import type { Json, StoredResource } from '../store.js';
import {
  type AciEvent,
  type ContainerRun,
  type ContainerState,
  DEFAULT_ACI_TIMING,
  type GroupRun,
  type GroupSpec,
  type RestartPolicy,
  runGroup,
} from '../aci/lifecycle.js';

/** The body key holding when the group's containers started (and stopped): never shown, stripped by every view. */
const RUNTIME = 'emulatorRuntime';

export interface Runtime {
  startedAt: number;
  stoppedAt?: number;
}

const list = jsonList;
const props = propertiesOf;

export function runtimeOf(body: Json): Runtime | undefined {
  const r = jsonObject(body[RUNTIME]);
  return typeof r?.startedAt === 'number' ? (r as unknown as Runtime) : undefined;
}

export function withRuntime(body: Json, runtime: Runtime | undefined): Json {
  const { [RUNTIME]: _old, ...rest } = body;
  return runtime === undefined ? rest : { ...rest, [RUNTIME]: runtime };
}

/** The parts of a body the lifecycle reads; `images` are the scenario's rules for what images do. */
function groupSpecOf(id: string, body: Json, images: readonly ImageRule[] = []): GroupSpec {
  const p = props(body);
  const policy = String(p.restartPolicy ?? 'Always');
  const containers = (key: string) =>
    list(p[key]).map((c) => {
      const image = String(props(c).image ?? '');
      const behaves = behaviourImage(image, images);
      return { name: String(c.name ?? ''), image, ...(behaves === image ? {} : { behaves }) };
    });
  return {
    id: id.toLowerCase(),
    restartPolicy: (['Always', 'OnFailure', 'Never'].includes(policy) ? policy : 'Always') as RestartPolicy,
    initContainers: containers('initContainers'),
    containers: containers('containers'),
  };
}

/** Where the group's containers are now, or undefined before they started (or when stopped). */
export function runOf(resource: StoredResource, hctx: HandlerContext): GroupRun | undefined {
  const runtime = runtimeOf(resource.body);
  if (runtime === undefined || runtime.stoppedAt !== undefined) return undefined;
  return runGroup(
    groupSpecOf(resource.id, resource.body, hctx.scenario.images ?? []),
    runtime.startedAt,
    hctx.now(),
    hctx.services.aciTiming ?? DEFAULT_ACI_TIMING,
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();

function stateJson(s: ContainerState): Json {
  return {
    state: s.state,
    ...(s.startTime === undefined ? {} : { startTime: iso(s.startTime) }),
    ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
    ...(s.finishTime === undefined ? {} : { finishTime: iso(s.finishTime) }),
    detailStatus: s.detailStatus,
  };
}

const eventJson = (e: AciEvent): Json => ({
  count: e.count,
  firstTimestamp: iso(e.firstTimestamp),
  lastTimestamp: iso(e.lastTimestamp),
  name: e.name,
  message: e.message,
  type: e.type,
});

function containerView(run: ContainerRun | undefined): Json | undefined {
  if (run === undefined) return undefined;
  return {
    restartCount: run.restartCount,
    currentState: stateJson(run.currentState),
    ...(run.previousState === undefined ? {} : { previousState: stateJson(run.previousState) }),
    events: run.events.map(eventJson),
  };
}

/** The containers of a body with each one's instance view set (or removed when `runs` has none for it). */
function withViews(containers: unknown, runs: ContainerRun[]): Json[] {
  return list(containers).map((c) => {
    const { instanceView: _old, ...rest } = props(c);
    const view = containerView(runs.find((r) => r.name === c.name));
    return { ...c, properties: view === undefined ? rest : { ...rest, instanceView: view } };
  });
}

/**
 * The body without what ACI never sends back: secure environment values, registry passwords, secret volume contents
 * and storage account keys (they are write-only in the API).
 */
function redacted(body: Json): Json {
  const p = props(body);
  const containers = (value: unknown) =>
    list(value).map((c) => {
      const cp = props(c);
      if (cp.environmentVariables === undefined) return c;
      const env = list(cp.environmentVariables).map(({ secureValue: _s, ...e }) => e);
      return { ...c, properties: { ...cp, environmentVariables: env } };
    });
  const properties: Json = { ...p, containers: containers(p.containers) };
  if (p.initContainers !== undefined) properties.initContainers = containers(p.initContainers);
  if (p.imageRegistryCredentials !== undefined) {
    properties.imageRegistryCredentials = list(p.imageRegistryCredentials).map(({ password: _p, ...r }) => r);
  }
  if (p.volumes !== undefined) {
    properties.volumes = list(p.volumes).map((v) => {
      const { secret: _secret, azureFile, ...rest } = v;
      const file = jsonObject(azureFile);
      const kept: Json = v.secret === undefined ? rest : { ...rest, secret: {} };
      if (file === undefined) return kept;
      const { storageAccountKey: _k, ...f } = file;
      return { ...kept, azureFile: f };
    });
  }
  return { ...body, properties };
}

/**
 * GET's body: per container `instanceView` {restartCount, currentState, previousState, events} and the group's
 * `instanceView` {events, state}; a stopped group says Stopped and its containers have none (ACI deallocates them).
 * A group without a start time (a scenario's, with its own instance view) is shown as stored.
 */
export function groupView(resource: StoredResource, hctx: HandlerContext): Json {
  const body = redacted(withRuntime(resource.body, undefined));
  const runtime = runtimeOf(resource.body);
  if (runtime === undefined) return body;
  const p = props(body);
  const run = runOf(resource, hctx);
  const groupState = run?.state ?? (runtime.stoppedAt !== undefined ? 'Stopped' : 'Pending');
  const properties: Json = {
    ...p,
    containers: withViews(p.containers, run?.containers ?? []),
    ...(p.initContainers === undefined
      ? {}
      : { initContainers: withViews(p.initContainers, run?.initContainers ?? []) }),
    instanceView: { events: [], state: groupState },
  };
  return { ...body, properties };
}

/** A list's body: ACI's lists carry no instance view, of the group or of any container. */
export function groupListView(resource: StoredResource): Json {
  const body = redacted(withRuntime(resource.body, undefined));
  const { instanceView: _view, ...p } = props(body);
  const strip = (containers: unknown) =>
    list(containers).map((c) => {
      const { instanceView: _c, ...rest } = props(c);
      return { ...c, properties: rest };
    });
  return {
    ...body,
    properties: {
      ...p,
      containers: strip(p.containers),
      ...(p.initContainers === undefined ? {} : { initContainers: strip(p.initContainers) }),
    },
  };
}
