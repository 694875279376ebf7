import { METADATA_ENDPOINTS } from '../api-versions.js';
import { type ArmState, ok, type RequestContext } from '../context.js';
import type { Route } from './route.js';

/**
 * The token audiences ARM accepts: the emulator's own endpoint (what the metadata document lists first, so the
 * Azure CLI asks for it), then public Azure's two, so clients that keep public-cloud scopes work too.
 */
export const armAudiences = (state: ArmState): string[] => [
  state.baseUrl,
  'https://management.core.windows.net/',
  'https://management.azure.com/',
];

/**
 * The emulator has no sign-in service (clients sign in through the managed identity endpoint), so the login
 * endpoint names ARM itself: anything that tries a sign-in there fails at once, on loopback, instead of leaving.
 */
const authentication = (state: ArmState) => ({ loginEndpoint: state.baseUrl, audiences: armAudiences(state) });

/** The 2015-01-01 document: one cloud, the one being asked. */
const singleCloud = (state: ArmState) => ({
  graphEndpoint: state.cloud.graph,
  portalEndpoint: state.baseUrl,
  authentication: authentication(state),
});

/** 2019-05-01 and later: the list of clouds this ARM belongs to (one); 2022-09-01 adds the Graph resource id. */
function cloudList(state: ArmState, apiVersion: string): unknown[] {
  const graph = state.cloud.graph;
  return [
    {
      name: state.cloud.name,
      resourceManager: state.baseUrl,
      portal: state.baseUrl,
      authentication: { ...authentication(state), tenant: 'common', identityProvider: 'AAD' },
      graph,
      graphAudience: graph,
      suffixes: {},
      ...(apiVersion >= '2022-09-01' ? { microsoftGraphResourceId: graph } : {}),
    },
  ];
}

/** `GET /metadata/endpoints`: served without a token, as ARM serves it (`az cloud register` sends none). */
export const metadataRoutes: Route[] = [
  {
    method: 'GET',
    path: '/metadata/endpoints',
    operation: 'Metadata_GetEndpoints',
    kind: 'read',
    apiType: 'Microsoft.Resources/metadata',
    apiVersions: METADATA_ENDPOINTS,
    anonymous: true,
    handle: (ctx: RequestContext) =>
      ok(ctx.apiVersion < '2019-05-01' ? singleCloud(ctx.state) : cloudList(ctx.state, ctx.apiVersion)),
  },
];
