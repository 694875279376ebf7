// What ACI checks in a container group body before it accepts the PUT, with ACI's codes and texts where they are
// known (cited in docs/emulator.md, "Container groups") and the emulator's own wording, said so there, elsewhere.
import type { CapabilityRow, ImageRule } from '../../scenario/model.js';
import { jsonList, jsonObject, propertiesOf } from '../context.js';
import { ArmError } from '../errors.js';
import type { Json } from '../store.js';
import { behaviourImage, reachableRegistry, registryOf } from './images.js';

const list = jsonList;
const props = propertiesOf;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const bad = (code: string, message: string): ArmError => new ArmError(400, code, message);

/** A container's `resources.requests` / `limits` in cores and GB. */
function resourcesOf(container: Json, which: 'requests' | 'limits'): { cpu: number; memoryInGB: number } | undefined {
  const r = jsonObject(jsonObject(props(container).resources)?.[which]);
  return r === undefined ? undefined : { cpu: num(r.cpu), memoryInGB: num(r.memoryInGB) };
}

/** What the group asks for in all: the sum of its containers' requests (init containers run before, not beside). */
export function groupRequests(body: Json | undefined): { cpu: number; memoryInGB: number } {
  const total = { cpu: 0, memoryInGB: 0 };
  for (const c of list(props(body).containers)) {
    const r = resourcesOf(c, 'requests');
    total.cpu += r?.cpu ?? 0;
    total.memoryInGB += r?.memoryInGB ?? 0;
  }
  return total;
}

const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const POLICIES = ['Always', 'OnFailure', 'Never'];

function checkContainer(c: Json, group: string, init: boolean, seen: Set<string>, body: Json): ArmError | undefined {
  const name = String(c.name ?? '');
  if (name.length > 63 || !CONTAINER_NAME.test(name)) {
    return bad(
      'InvalidContainerName',
      `The container name '${name}' in container group '${group}' is invalid. A valid container name must consist of lower case alphanumeric characters or '-', start with an alphanumeric character, and end with an alphanumeric character and cannot be longer than 63 characters.`,
    );
  }
  if (seen.has(name))
    return bad(
      'DuplicateContainerName',
      `The container name '${name}' in container group '${group}' is used more than once.`,
    );
  seen.add(name);
  const image = props(c).image;
  if (typeof image !== 'string' || image.trim() === '') {
    return bad('InvalidContainerImage', `The image of container '${name}' in container group '${group}' is required.`);
  }
  if (init) return undefined;
  const requests = resourcesOf(c, 'requests');
  if (requests === undefined || requests.cpu <= 0 || requests.memoryInGB <= 0) {
    return bad(
      'ResourceRequestsNotSpecified',
      `The resource requests (cpu and memoryInGB) of container '${name}' in container group '${group}' must be greater than 0.`,
    );
  }
  const total = groupRequests(body);
  const limits = resourcesOf(c, 'limits');
  for (const [kind, key] of [
    ['Cpu', 'cpu'],
    ['MemoryInGB', 'memoryInGB'],
  ] as const) {
    if (limits !== undefined && limits[key] > total[key]) {
      return bad(
        'ContainerLimitGreaterThanContainerGroupTotalRequest',
        `The '${kind}' limit '${limits[key]}' in container '${name}' is greater than the total request '${total[key]}' of container group '${group}'.`,
      );
    }
  }
  return undefined;
}

/** An image ACI cannot pull: a registry it cannot reach, or an ACR without credentials for it. */
function inaccessible(body: Json, shown: string, images: readonly ImageRule[]): boolean {
  const image = behaviourImage(shown, images);
  if (!reachableRegistry(image)) return true;
  const host = registryOf(image);
  if (!host.endsWith('.azurecr.io')) return false;
  const creds = list(props(body).imageRegistryCredentials).map((r) => String(r.server ?? '').toLowerCase());
  return !creds.includes(host);
}

function checkNetwork(body: Json, group: string): ArmError | undefined {
  const p = props(body);
  const ip = jsonObject(p.ipAddress);
  if (ip === undefined) return undefined;
  const ports = list(ip.ports);
  if (ports.length === 0)
    return bad('MissingIpAddressPorts', `The ports in the 'ipAddress' of container group '${group}' cannot be empty.`);
  const exposed = new Set(list(p.containers).flatMap((c) => list(props(c).ports).map((x) => num(x.port))));
  const missing = ports.find((x) => !exposed.has(num(x.port)));
  if (missing !== undefined) {
    return bad(
      'InvalidIpAddressPort',
      `The port '${num(missing.port)}' in the 'ipAddress' of container group '${group}' is not exposed by any of its containers.`,
    );
  }
  if (list(p.subnetIds).length > 0 && ip.type !== 'Private') {
    return bad(
      'InvalidIpAddressType',
      `The IP address type of container group '${group}' in a subnet must be 'Private'.`,
    );
  }
  return undefined;
}

const VOLUME_KINDS = ['azureFile', 'emptyDir', 'secret', 'gitRepo'];

function checkVolumes(body: Json, group: string): ArmError | undefined {
  const p = props(body);
  const names = new Set<string>();
  for (const v of list(p.volumes)) {
    const kinds = VOLUME_KINDS.filter((k) => v[k] !== undefined && v[k] !== null);
    if (kinds.length !== 1) {
      return bad(
        'InvalidVolume',
        `The volume '${String(v.name ?? '')}' of container group '${group}' must have exactly one of ${VOLUME_KINDS.join(', ')}.`,
      );
    }
    names.add(String(v.name ?? ''));
  }
  for (const c of [...list(p.initContainers), ...list(p.containers)]) {
    for (const m of list(props(c).volumeMounts)) {
      if (!names.has(String(m.name ?? ''))) {
        return bad(
          'VolumeMountNameNotFound',
          `The volume mount '${String(m.name ?? '')}' of container '${String(c.name ?? '')}' in container group '${group}' names no volume of the group.`,
        );
      }
    }
  }
  return undefined;
}

/**
 * 409 RegistryErrorResponse for an image on a registry whose firewall shuts ACI out: ACI pulls over the registry's
 * public endpoint (ACR service endpoints do not admit it, container-registry-vnet.md: "Other Azure services including
 * Azure Container Instances aren't supported"), and a private endpoint needs a managed identity v1 pods do not have.
 * The code and text are ACI's (SupportArticles docker-hub-rate-limit-registryerrorresponse.md; azure-aci#152 for a
 * firewalled ACR).
 */
function closedRegistry(image: string, closed: ReadonlySet<string>): ArmError | undefined {
  const host = registryOf(image);
  if (!closed.has(host)) return undefined;
  return new ArmError(
    409,
    'RegistryErrorResponse',
    `An error response is received from the docker registry '${host}'. Please retry later.`,
  );
}

/**
 * The first ACI rule the body breaks, or undefined. `closed`: login servers (lower case) of the scenario's registries
 * whose public access is disabled or whose firewall denies by default.
 */
export function checkGroupBody(
  body: Json,
  group: string,
  images: readonly ImageRule[] = [],
  closed: ReadonlySet<string> = new Set(),
): ArmError | undefined {
  const p = props(body);
  if (p.osType !== 'Linux' && p.osType !== 'Windows') {
    return bad('InvalidOsType', `The osType of container group '${group}' must be 'Linux' or 'Windows'.`);
  }
  if (p.restartPolicy !== undefined && !POLICIES.includes(String(p.restartPolicy))) {
    return bad(
      'InvalidRestartPolicy',
      `The restart policy '${String(p.restartPolicy)}' of container group '${group}' must be one of ${POLICIES.join(', ')}.`,
    );
  }
  const containers = list(p.containers);
  if (containers.length === 0)
    return bad('MissingContainers', `The container group '${group}' must have at least one container.`);
  const seen = new Set<string>();
  for (const c of list(p.initContainers)) {
    const e = checkContainer(c, group, true, seen, body);
    if (e !== undefined) return e;
  }
  for (const c of containers) {
    const e = checkContainer(c, group, false, seen, body);
    if (e !== undefined) return e;
  }
  for (const c of [...list(p.initContainers), ...containers]) {
    const image = String(props(c).image);
    if (inaccessible(body, image, images)) {
      return bad(
        'InaccessibleImage',
        `The image '${image}' in container group '${group}' is not accessible. Please check the image and registry credential.`,
      );
    }
    const firewalled = closedRegistry(behaviourImage(image, images), closed);
    if (firewalled !== undefined) return firewalled;
  }
  return checkNetwork(body, group) ?? checkVolumes(body, group);
}

/**
 * 409 ServiceUnavailable when the group asks for more than one group may have in the region (Location_ListCapabilities
 * for its OS and IP address type: Private in a subnet, else Public), as ACI answers.
 */
export function checkCapacity(body: Json, location: string, rows: readonly CapabilityRow[]): ArmError | undefined {
  const p = props(body);
  const vnet = list(p.subnetIds).length > 0;
  const os = String(p.osType ?? 'Linux');
  const want = groupRequests(body);
  const fits = rows.some(
    (r) =>
      r.resourceType === 'containerGroups' &&
      r.osType === os &&
      r.ipAddressType === (vnet ? 'Private' : 'Public') &&
      want.cpu <= r.capabilities.maxCpu &&
      want.memoryInGB <= r.capabilities.maxMemoryInGB,
  );
  if (fits) return undefined;
  return new ArmError(
    409,
    'ServiceUnavailable',
    `The requested resource is not available in the location '${location}' at this moment. Please retry with a different resource request or in another location. Resource requested: '${want.cpu}' CPU '${want.memoryInGB}' GB memory '${os}' OS${vnet ? ' virtual network' : ''}.`,
  );
}
