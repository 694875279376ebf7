// Microsoft Graph reads: a service principal cluster's application and the expiry of its client secrets
// (Graph v1.0 "Get application", GET /applications(appId='{appId}'), which needs Application.Read.All;
// learn.microsoft.com/graph/api/application-get). The cloud's Graph endpoint is also the token audience, as ARM's is
// (VNODES_GRAPH_ENDPOINT overrides it the way VNODES_ARM_ENDPOINT does). Only the dates and key ids leave this
// module: a passwordCredential's `hint` holds the secret's first characters and is dropped here.
import type { ApplicationSecrets } from '../checks/doctor-facts.js';
import { AzureError } from '../errors.js';
import type { AzureContext } from './context.js';

/** The application behind `appId` with its secrets' expiry; undefined when Graph has no such application (404). */
export async function readApplicationSecrets(
  azure: AzureContext,
  appId: string,
): Promise<ApplicationSecrets | undefined> {
  const { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } =
    await import('@azure/core-rest-pipeline');
  const { tlsOptions, retryOptions, userAgentOptions, additionalPolicies } = azure.clientOptions;
  const pipeline = createPipelineFromOptions({
    ...(tlsOptions ? { tlsOptions } : {}),
    retryOptions,
    userAgentOptions,
  });
  pipeline.addPolicy(
    bearerTokenAuthenticationPolicy({
      credential: azure.credential,
      scopes: [`${azure.cloud.microsoftGraph}.default`],
    }),
  );
  // The abort and --debug policies, not ARM's request counter: Graph is not ARM, and is counted on its own.
  for (const { policy, position } of additionalPolicies)
    if (policy.name !== 'vnodesCallCount')
      pipeline.addPolicy(policy, { phase: position === 'perRetry' ? 'Retry' : undefined });
  pipeline.addPolicy(
    {
      name: 'vnodesGraphCallCount',
      sendRequest(request, next) {
        azure.calls.graph++;
        return next(request);
      },
    },
    { phase: 'Retry' },
  );
  const url = `${azure.cloud.microsoftGraph}v1.0/applications(appId='${encodeURIComponent(appId)}')?$select=id,appId,displayName,passwordCredentials`;
  const response = await pipeline.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url, method: 'GET' }));
  const text = response.bodyAsText ?? '';
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (response.status === 404) return undefined;
  if (response.status < 200 || response.status > 299) {
    const error = (body.error ?? {}) as { code?: string; message?: string };
    throw new AzureError(
      `Microsoft Graph refused reading application ${appId}: ${error.code ?? response.status}: ${error.message ?? text}`,
      {
        armCode: error.code ?? `HTTP ${response.status}`,
        statusCode: response.status,
        requestId: response.headers.get('request-id') ?? undefined,
        operation: 'GET application',
      },
    );
  }
  const creds = Array.isArray(body.passwordCredentials) ? (body.passwordCredentials as Record<string, unknown>[]) : [];
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    appId,
    ...(str(body.displayName) ? { displayName: str(body.displayName)! } : {}),
    secrets: creds.map((c) => ({
      ...(str(c.keyId) ? { keyId: str(c.keyId)! } : {}),
      ...(str(c.displayName) ? { displayName: str(c.displayName)! } : {}),
      ...(str(c.endDateTime) ? { endDateTime: str(c.endDateTime)! } : {}),
    })),
  };
}
