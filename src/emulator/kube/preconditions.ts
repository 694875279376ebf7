// DeleteOptions.preconditions: a delete that names a uid or resourceVersion other than the object's is 409
// Conflict with the apiserver's "Precondition failed" wording, so a client deleting what it read cannot remove a
// replacement created under the same name.
import { conflict } from './errors.js';
import type { KubeObject, ResourceType } from './resources.js';
import type { DeleteOptions } from './store-types.js';

/** Throws 409 Conflict when a precondition does not hold for `current`. */
export function checkPreconditions(t: ResourceType, current: KubeObject, pre: DeleteOptions['preconditions']): void {
  const name = current.metadata.name ?? '';
  if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
    throw conflict(
      t.resource,
      t.group,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      t.resource,
      t.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${current.metadata.resourceVersion}`,
    );
  }
}
