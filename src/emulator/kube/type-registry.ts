// The types one API server serves: the built-in kinds, plus the ones its CustomResourceDefinitions add. A CRD
// (apiextensions.k8s.io/v1) that is created serves each of its `served` versions at /apis/<group>/<version> and
// appears in discovery; deleting it stops serving them, as the apiextensions-apiserver does.
import { badRequest } from './errors.js';
import { RESOURCE_TYPES, typeKey, type KubeObject, type ResourceType } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The CRD type itself, served by every server. */
export const CRD_TYPE: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  subresources: ['status'],
  fields: [],
  categories: ['api-extensions'],
};

/** The resource types a CRD serves, one per served version. */
function typesOfCrd(crd: KubeObject): ResourceType[] {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const group = String(spec.group ?? '');
  const plural = String(names.plural ?? '');
  const kind = String(names.kind ?? '');
  if (group === '' || plural === '' || kind === '') return [];
  const versions = Array.isArray(spec.versions) ? spec.versions.map(obj) : [];
  return versions
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => ({
      group,
      version: String(v.name),
      resource: plural,
      singular: String(names.singular ?? kind.toLowerCase()),
      kind,
      namespaced: spec.scope !== 'Cluster',
      shortNames: strings(names.shortNames),
      subresources: obj(v.subresources).status !== undefined ? ['status'] : [],
      fields: [],
      categories: strings(names.categories),
    }));
}

/** The status the apiextensions-apiserver gives an accepted CRD: its names accepted, Established. */
export function crdStatus(crd: KubeObject, now: string): Obj {
  const spec = obj(crd.spec);
  const condition = (type: string, reason: string, message: string): Obj => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: spec.names ?? {},
    storedVersions: (Array.isArray(spec.versions) ? spec.versions.map(obj) : [])
      .filter((v) => v.storage === true)
      .map((v) => String(v.name)),
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
  };
}

/** Built-in types plus custom ones; lookups as the server's routing and the store need them. */
export class TypeRegistry {
  private custom = new Map<string, ResourceType[]>();

  /** Every type served, built-ins first, in discovery order. */
  all(): ResourceType[] {
    return [...RESOURCE_TYPES, CRD_TYPE, ...[...this.custom.values()].flat()];
  }

  /** Serves (or re-serves, after an update) the types of a CRD. */
  define(crd: KubeObject): void {
    this.custom.set(crd.metadata.name ?? '', typesOfCrd(crd));
  }

  /** Stops serving a CRD's types; returns them (so their objects can go). */
  remove(crdName: string): ResourceType[] {
    const gone = this.custom.get(crdName) ?? [];
    this.custom.delete(crdName);
    return gone;
  }

  /** Groups in discovery order, each with its versions (the first is preferred). */
  groups(): { group: string; versions: string[] }[] {
    const seen = new Map<string, string[]>();
    for (const t of this.all()) {
      const versions = seen.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      seen.set(t.group, versions);
    }
    return [...seen].map(([group, versions]) => ({ group, versions }));
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  ofObject(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.all().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** A type by plural, kind, short name or `group/version/resource`; 400 for anything else. */
  resolve(ref: string | ResourceType): ResourceType {
    if (typeof ref !== 'string') return ref;
    const found = this.all().find(
      (t) => typeKey(t) === ref || t.resource === ref || t.kind === ref || t.shortNames.includes(ref),
    );
    if (found === undefined) throw badRequest(`the emulator does not serve resource type "${ref}"`);
    return found;
  }
}
