// Container group names and the tags that link a group back to its pod. azure-aci names a group `<ns>-<pod>` as is,
// so pods with dots or long names fail at ARM and `a-b/c` collides with `a/b-c` (research/azure-aci.md §3.1); vnodes
// keeps that readable name when it is valid and free, else adds a stable hash suffix.
import { createHash } from 'node:crypto';

/** ACI container group names: 1-63 lower-case letters, digits and dashes, starting and ending alphanumeric. */
const VALID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX = 63;
const HASH = 10;

/** The tags vnodes (and azure-aci, whose keys these are) puts on a container group. */
export const TAGS = { namespace: 'Namespace', name: 'PodName', uid: 'UID', node: 'NodeName' } as const;

/** The pod a container group belongs to, as its tags say. */
export interface PodRef {
  namespace: string;
  name: string;
  uid?: string;
  node?: string;
}

/** `namespace/name`: the key vnodes tracks a pod by. */
export const podKey = (ref: { namespace: string; name: string }): string => `${ref.namespace}/${ref.name}`;

const hashOf = (namespace: string, name: string): string =>
  createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, HASH);

/** The stable hashed form: a sanitised prefix and 10 hex digits of sha256(namespace/name). */
export function hashedName(namespace: string, name: string): string {
  const prefix = `${namespace}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, MAX - HASH - 1)
    .replace(/^-+|-+$/g, '');
  return prefix === '' ? `p-${hashOf(namespace, name)}`.slice(0, MAX) : `${prefix}-${hashOf(namespace, name)}`;
}

/**
 * The container group name for a pod: `<ns>-<pod>` when that is a valid ACI name and no other pod holds it in
 * `taken` (name → pod key), else the hashed form. The same pod always gets the same answer for the same `taken`.
 */
export function containerGroupName(
  namespace: string,
  name: string,
  taken: { get(name: string): string | undefined } = new Map(),
): string {
  const plain = `${namespace}-${name}`;
  const owner = taken.get(plain);
  if (VALID.test(plain) && (owner === undefined || owner === podKey({ namespace, name }))) return plain;
  return hashedName(namespace, name);
}

/** Tags for a pod's container group. */
export function podTags(ref: PodRef): Record<string, string> {
  return {
    [TAGS.namespace]: ref.namespace,
    [TAGS.name]: ref.name,
    ...(ref.uid ? { [TAGS.uid]: ref.uid } : {}),
    ...(ref.node ? { [TAGS.node]: ref.node } : {}),
  };
}

/** The pod a group's tags name, if they name one. */
export function podOfTags(tags: Record<string, string> | undefined): PodRef | undefined {
  const namespace = tags?.[TAGS.namespace];
  const name = tags?.[TAGS.name];
  if (!namespace || !name) return undefined;
  return {
    namespace,
    name,
    ...(tags[TAGS.uid] ? { uid: tags[TAGS.uid] } : {}),
    ...(tags[TAGS.node] ? { node: tags[TAGS.node] } : {}),
  };
}
