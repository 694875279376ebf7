// Ctrl-C and Retry-After. The SDK's retry policy waits out a 429/503's Retry-After with the request's own abort
// signal, and most calls pass none, so Ctrl-C used to wait 30 or 120 s and then print a full result. These two
// policies give every request the run's signal (the wait then ends at once), and refuse up front a Retry-After
// longer than vnodes is willing to wait, instead of sleeping through it.
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureError, InterruptedError } from '../errors.js';
import { redactUrl } from '../util/redact.js';

/** The longest Retry-After vnodes waits out; the same bound as the SDK's own exponential backoff (maxRetryDelayInMs). */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Runs before the retry policy: every attempt and every wait between attempts carries the run's abort signal. */
export function abortPolicy(signal: AbortSignal): PipelinePolicy {
  return {
    name: 'vnodesAbortOnInterrupt',
    async sendRequest(request, next) {
      if (signal.aborted) throw new InterruptedError();
      // The SDK types it as AbortSignalLike; at run time it is the AbortSignal a caller passed.
      request.abortSignal = request.abortSignal
        ? AbortSignal.any([request.abortSignal as AbortSignal, signal])
        : signal;
      try {
        return await next(request);
      } catch (error) {
        if (signal.aborted) throw new InterruptedError();
        throw error;
      }
    },
  };
}

/** The wait a 429/503 asks for, in ms, read as the SDK reads it (retry-after-ms, x-ms-retry-after-ms, Retry-After). */
export function retryAfterMs(
  response: Pick<PipelineResponse, 'status' | 'headers'>,
  now = Date.now(),
): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  for (const [header, factor] of [
    ['retry-after-ms', 1],
    ['x-ms-retry-after-ms', 1],
    ['retry-after', 1000],
  ] as const) {
    const value = response.headers.get(header);
    if (value === undefined || value.trim() === '') continue;
    const n = Number(value);
    if (Number.isFinite(n)) return n * factor;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/**
 * Runs on each attempt: a throttling answer that asks for more than `limitMs` fails the call at once, naming the
 * wait, rather than leaving the user looking at a silent terminal. Not a RestError, so the retry policy rethrows it.
 */
export function retryAfterLimitPolicy(limitMs = MAX_RETRY_AFTER_MS): PipelinePolicy {
  return {
    name: 'vnodesRetryAfterLimit',
    async sendRequest(request, next) {
      const response = await next(request);
      const wait = retryAfterMs(response);
      if (wait === undefined || wait <= limitMs) return response;
      let armCode = response.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
      try {
        armCode = (JSON.parse(response.bodyAsText ?? '') as { error?: { code?: string } }).error?.code ?? armCode;
      } catch {
        // No JSON body: keep the status's name.
      }
      const path = redactUrl(request.url)
        .replace(/^https?:\/\/[^/]+/, '')
        .split('?')[0];
      const seconds = Math.ceil(wait / 1000);
      throw new AzureError(
        `Azure answered ${response.status} ${armCode} to ${request.method} ${path} and asked vnodes to wait ${seconds} s ` +
          `before retrying, longer than the ${MAX_RETRY_AFTER_MS / 1000} s it waits.`,
        { armCode, statusCode: response.status, requestId: response.headers.get('x-ms-request-id') },
        {
          code: 'VNODES_AZURE_THROTTLED',
          remediation: `Azure is throttling this subscription: wait ${seconds} s and re-run the same command (it resumes where it stopped).`,
        },
      );
    },
  };
}
