// Just enough OpenAPI v3 for kubectl. kubectl apply/create validate manifests: when the server's OpenAPI v3 says a
// kind's PATCH takes the `fieldValidation` query parameter, kubectl leaves validation to the server (which sends
// fieldValidation=Strict; the emulator accepts and ignores it); without any OpenAPI it refuses to apply
// ("failed to download openapi"). The documents carry no schemas and no PATCH request bodies, so kubectl computes
// strategic merge patches from its compiled-in types, as it does for servers without OpenAPI.
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceType } from './resources.js';
import type { TypeRegistry } from './type-registry.js';

// Custom resources (CRDs) are listed too, so kubectl leaves their validation to the server; with no schema here,
// kubectl sends them JSON merge patches, as it does for any kind it has no compiled-in type for.
const apiGroups = (types: TypeRegistry): { group: string; version: string }[] =>
  types.groups().flatMap(({ group, versions }) => versions.map((version) => ({ group, version })));

/** URL path of a group/version's document below /openapi/v3 ("api/v1", "apis/apps/v1"). */
const gvPath = (group: string, version: string): string =>
  group === '' ? `api/${version}` : `apis/${group}/${version}`;

const itemPath = (t: ResourceType): string =>
  `/${gvPath(t.group, t.version)}/${t.namespaced ? 'namespaces/{namespace}/' : ''}${t.resource}/{name}`;

const queryParam = (name: string): object => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

/** The OpenAPI v3 document of one group/version, or undefined if not served. */
const openApiV3Document = (registry: TypeRegistry, group: string, version: string): object | undefined => {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const paths = Object.fromEntries(
    types.map((t) => [
      itemPath(t),
      {
        patch: {
          description: `partially update the specified ${t.kind}`,
          operationId: `patch${t.kind}`,
          parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map(queryParam),
          responses: { '200': { description: 'OK' } },
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': { group, version, kind: t.kind },
        },
      },
    ]),
  );
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (vnodes emulator)', version: groupVersion({ group, version }) },
    paths,
    components: { schemas: {} },
  };
};

/** `/openapi/v3`: where each group/version's document lives, with a content hash as real servers give. */
export const openApiV3Root = (types: TypeRegistry): object => ({
  paths: Object.fromEntries(
    apiGroups(types).map(({ group, version }) => {
      const hash = createHash('sha512')
        .update(JSON.stringify(openApiV3Document(types, group, version)))
        .digest('hex')
        .toUpperCase();
      return [gvPath(group, version), { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` }];
    }),
  ),
});

/** The document for a path below /openapi/v3/ ("api/v1"), or undefined. */
export const openApiV3For = (types: TypeRegistry, rest: string): object | undefined => {
  const segs = rest.split('/').filter((s) => s !== '');
  if (segs[0] === 'api' && segs.length === 2) return openApiV3Document(types, '', segs[1]!);
  if (segs[0] === 'apis' && segs.length === 3) return openApiV3Document(types, segs[1]!, segs[2]!);
  return undefined;
};
