// The node's container groups by name, indexed by the pod their tags name, so that finding a pod's group or a free
// name costs O(1) however many groups there are (at 5,000 pods a scan per new pod is 25 million steps).
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { podKey, podOfTags } from './names.js';

/** A Map of groups by name that also knows, for each pod key, its group (the pod's UID checked on lookup). */
export class GroupIndex extends Map<string, ContainerGroup> {
  private readonly byPod = new Map<string, string>();

  override set(name: string, group: ContainerGroup): this {
    const before = super.get(name);
    if (before !== undefined) this.unindex(name, before);
    super.set(name, group);
    const ref = podOfTags(group.tags);
    if (ref !== undefined) this.byPod?.set(podKey(ref), name);
    return this;
  }

  override delete(name: string): boolean {
    const before = super.get(name);
    if (before !== undefined) this.unindex(name, before);
    return super.delete(name);
  }

  private unindex(name: string, group: ContainerGroup): void {
    const ref = podOfTags(group.tags);
    if (ref !== undefined && this.byPod.get(podKey(ref)) === name) this.byPod.delete(podKey(ref));
  }

  /** The group of the pod `key` with `uid` (a group tagged with another UID belongs to an older pod of that name). */
  groupOfPod(key: string, uid: string | undefined): string | undefined {
    const name = this.byPod.get(key);
    const ref = name === undefined ? undefined : podOfTags(super.get(name)?.tags);
    return ref && (!ref.uid || ref.uid === uid) ? name : undefined;
  }

  /** The pod key that holds a group name, for collision-free naming. */
  holder(name: string): string | undefined {
    const ref = podOfTags(super.get(name)?.tags);
    return ref ? podKey(ref) : undefined;
  }
}
