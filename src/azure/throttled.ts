import { AzureError } from '../errors.js';

/** True for ARM's 429, once the SDK's own retries (which honour Retry-After) are used up. */
export function isThrottled(error: unknown): error is AzureError {
  return error instanceof AzureError && error.arm.statusCode === 429;
}

/** The wait ARM asked for on a 429: `retry-after-ms`/`x-ms-retry-after-ms`, else `Retry-After` seconds. */
export function retryAfterMs(error: AzureError): number | undefined {
  const headers = (error.cause as { response?: { headers?: { get(name: string): string | undefined } } } | undefined)
    ?.response?.headers;
  const ms = Number(headers?.get('retry-after-ms') ?? headers?.get('x-ms-retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
