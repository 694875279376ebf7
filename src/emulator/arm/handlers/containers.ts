import { ok } from '../context.js';
import { ArmError } from '../errors.js';
import type { ResourceTypeHandler } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { DEFAULT_ACI_TIMING } from '../aci/lifecycle.js';
import { workloadOf } from '../aci/images.js';
import { logContent, logLines } from '../aci/logs.js';
import { probeLines } from '../aci/probe.js';
import { probeNetwork } from './container-probe.js';
import { runOf } from './container-group-view.js';
import { jsonList, propertiesOf } from './subnet-rules.js';

const CONTAINERS_TYPE = 'Microsoft.ContainerInstance/containerGroups/containers';

/**
 * A container of a container group, addressable only for its verbs: `GET …/containers/{name}/logs?tail=N&timestamps=
 * true` (Containers_ListLogs) answers `{content}` with what the container's current run printed (aci/logs.ts). An
 * unknown container is 404 ContainerNotFound (emulator wording); a container that has not started yet has no output.
 */
export const containers: ResourceTypeHandler = {
  type: CONTAINERS_TYPE,
  operationGroup: 'Containers',
  lookup(path, hctx) {
    const group = hctx.store.get(path.parentId);
    if (group === undefined) return undefined;
    const found = jsonList(propertiesOf(group.body).containers).some((c) => c.name === path.name);
    if (!found) {
      throw new ArmError(
        404,
        'ContainerNotFound',
        `The container '${path.name}' of container group '${String(group.body.name)}' is not found.`,
      );
    }
    return { id: path.id, type: CONTAINERS_TYPE, body: { name: path.name }, etag: group.etag };
  },
  actions: {
    logs: {
      method: 'GET',
      operation: 'Containers_ListLogs',
      kind: 'read',
      run({ resource, ctx }, hctx) {
        const group = hctx.store.get(parseArmPath(resource.id)?.parentId ?? '');
        const run =
          group === undefined ? undefined : runOf(group, hctx)?.containers.find((c) => c.name === resource.body.name);
        const tail = ctx.query.get('tail');
        const printed =
          group !== undefined && run !== undefined && workloadOf(run.behaves ?? run.image).probe
            ? probeLines(probeNetwork(hctx, group, run.name), String(group.body.name))
            : undefined;
        const timing = hctx.services.aciTiming ?? DEFAULT_ACI_TIMING;
        const lines = run === undefined ? [] : logLines(run, hctx.now(), timing, printed);
        return ok({
          content: logContent(lines, {
            ...(tail === null || tail === '' ? {} : { tail: Number(tail) }),
            timestamps: ctx.query.get('timestamps') === 'true',
          }),
        });
      },
    },
  },
};
