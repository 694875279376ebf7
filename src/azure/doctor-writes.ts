// The one ARM write doctor --fix makes itself: registering a resource provider (everything else goes through
// enable's steps). Recorded like every write, so --dry-run shows it and sends nothing.
import { armCall } from './arm-errors.js';
import type { AzureContext } from './context.js';
import { recordRequest, type RecordedRequest } from './record.js';

/** POST …/providers/{namespace}/register (idempotent: ARM answers the current state). */
export async function registerProvider(
  azure: AzureContext,
  namespace: string,
  dryRun: boolean,
): Promise<RecordedRequest | undefined> {
  const resources = await azure.resources();
  const { request } = await armCall(`registering resource provider ${namespace}`, () =>
    recordRequest(resources.pipeline, dryRun, (headers) =>
      resources.providers.register(namespace, { requestOptions: { headers } }),
    ),
  );
  return request;
}
