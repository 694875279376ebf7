// Seeing the exact writes vnodes makes. The SDK serialises models itself (and drops read-only fields), so the only
// honest way to show "the PUT vnodes would send" is to let the SDK build it and stop it before the network.
import type { Pipeline, PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import { redactUrl, redactValue } from '../util/redact.js';

/**
 * One HTTP request as vnodes sent it, or would have sent it (--dry-run). Never carries credentials: the URL loses its
 * user-info and the body its secret-keyed fields (a cluster's windowsProfile.adminPassword), since both are printed.
 */
export interface RecordedRequest {
  method: string;
  /** Full URL, with the api-version. */
  url: string;
  /** Only the conditional headers (If-Match, If-None-Match) that change what the request does. */
  headers: Record<string, string>;
  body: unknown;
}

const MARK = 'x-vnodes-record';
const POLICY = 'vnodesRecordRequest';
const SHOWN_HEADERS = ['if-match', 'if-none-match'];

/** Thrown by the policy to stop a marked request before it is sent. */
class Stopped extends Error {}

interface Slot {
  stop: boolean;
  seen?: RecordedRequest;
}

interface RecordingPolicy extends PipelinePolicy {
  slots: Map<string, Slot>;
}

function parseBody(request: PipelineRequest): unknown {
  const body = request.body;
  if (typeof body !== 'string') return body ?? undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

// One policy per pipeline, added on first use: it only looks at requests carrying its mark, so other calls on the
// same (cached) client pass untouched. It runs before the retry policy, so a request is recorded once.
function policyOf(pipeline: Pipeline): RecordingPolicy {
  const existing = pipeline.getOrderedPolicies().find((p) => p.name === POLICY) as RecordingPolicy | undefined;
  if (existing) return existing;
  const slots = new Map<string, Slot>();
  const policy: RecordingPolicy = {
    name: POLICY,
    slots,
    async sendRequest(request, next) {
      const token = request.headers.get(MARK);
      const slot = token === undefined ? undefined : slots.get(token);
      if (token === undefined || slot === undefined) return next(request);
      request.headers.delete(MARK);
      if (slot.seen === undefined) {
        const headers = Object.fromEntries(
          SHOWN_HEADERS.flatMap((h) => (request.headers.has(h) ? [[h, request.headers.get(h) ?? '']] : [])),
        );
        slot.seen = {
          method: request.method,
          url: redactUrl(request.url),
          headers,
          body: redactValue(parseBody(request)),
        };
      }
      if (slot.stop) throw new Stopped('request recorded, not sent (--dry-run)');
      return next(request);
    },
  };
  pipeline.addPolicy(policy);
  return policy;
}

/** A write's outcome: the request as sent (or, dry, as it would be sent), and the answer when it was sent. */
export interface Recorded<T> {
  request: RecordedRequest | undefined;
  result: T | undefined;
}

/**
 * Runs one SDK call whose first request is recorded: `send` must pass the given headers in its
 * `requestOptions.headers`. With `stop`, that request is never sent (dry run) and the call's own outcome is
 * ignored; otherwise the call runs as usual and its result comes back with the request.
 */
export async function recordRequest<T>(
  pipeline: Pipeline,
  stop: boolean,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<Recorded<T>> {
  const policy = policyOf(pipeline);
  const token = Math.random().toString(36).slice(2);
  const slot: Slot = { stop };
  policy.slots.set(token, slot);
  try {
    const result = await send({ [MARK]: token });
    return { request: slot.seen, result };
  } catch (error) {
    if (stop && slot.seen !== undefined) return { request: slot.seen, result: undefined };
    throw error;
  } finally {
    policy.slots.delete(token);
  }
}
