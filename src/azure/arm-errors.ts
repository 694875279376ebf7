import { AuthError, AzureError, InterruptedError, VnodesError, isVnodesError } from '../errors.js';

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  request?: { url?: string; method?: string };
  response?: { headers?: { get(name: string): string | undefined }; bodyAsText?: string | null };
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
  'EPIPE',
]);

/** ARM's own error code and message from a RestError body, when the SDK kept it. */
function armBody(error: RestErrorLike): { code?: string; message?: string } {
  const fromDetails = (error.details as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (fromDetails?.code) return fromDetails;
  const text = error.response?.bodyAsText;
  if (text) {
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (parsed.error?.code) return parsed.error;
    } catch {
      // Not JSON: fall back to the SDK's own message.
    }
  }
  return {};
}

/**
 * Turns whatever an Azure SDK call threw into a VnodesError that keeps ARM's code, message, HTTP status and request
 * id. `what` names the operation for the user ("reading provider Microsoft.ContainerInstance").
 */
export function toAzureError(error: unknown, what: string): VnodesError {
  if (isVnodesError(error)) return error;
  const e = (error ?? {}) as RestErrorLike;
  // The run's abort signal (Ctrl-C) cancelled the call: that is an interruption, not an Azure failure.
  if (e.name === 'AbortError') return new InterruptedError();
  if (e.name && CREDENTIAL_ERRORS.has(e.name)) {
    return new AuthError(`Not signed in to Azure: ${firstLine(e.message)}`, {
      code: 'VNODES_NOT_SIGNED_IN',
      remediation:
        'Run `az login` (or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or use a managed/workload identity), then retry.',
      cause: error,
    });
  }
  const requestId = e.response?.headers?.get('x-ms-request-id');
  if (e.statusCode === undefined) {
    // A failed long-running operation reaches us as core-lro's plain Error, with ARM's code only in its message.
    const lro = /^The long-running operation has failed\. ([A-Za-z][\w.]*)\. (.*)$/.exec(firstLine(e.message));
    if (lro) {
      return new AzureError(
        `The Azure operation failed while ${what}: ${lro[1]}: ${lro[2]}`,
        {
          armCode: lro[1]!,
          statusCode: undefined,
          requestId,
        },
        { cause: error },
      );
    }
    const isNetwork =
      (e.code && NETWORK_CODES.has(e.code)) ||
      /socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND/i.test(e.message ?? '');
    if (isNetwork) {
      const host = safeHost(e.request?.url);
      return new AzureError(
        `Lost the connection to Azure Resource Manager${host ? ` (${host})` : ''} while ${what}: ${firstLine(e.message)}.`,
        { armCode: e.code ?? 'ConnectionError', statusCode: undefined, requestId },
        {
          code: 'VNODES_AZURE_UNREACHABLE',
          remediation: 'Check your network or proxy and retry; vnodes already retried 3 times.',
          cause: error,
        },
      );
    }
    return new AzureError(
      `Azure call failed while ${what}: ${firstLine(e.message)}`,
      {
        armCode: e.code ?? 'Unknown',
        statusCode: undefined,
        requestId,
      },
      { cause: error },
    );
  }
  const body = armBody(e);
  const armCode = body.code ?? e.code ?? `Http${e.statusCode}`;
  const message = firstLine(body.message ?? e.message);
  const auth = e.statusCode === 401 || e.statusCode === 403;
  return new AzureError(
    `Azure returned ${e.statusCode} ${armCode} while ${what}: ${message}`,
    { armCode, statusCode: e.statusCode, requestId },
    {
      cause: error,
      remediation: auth
        ? e.statusCode === 401
          ? 'Your credential was rejected: sign in again (`az login`) or check VNODES_ARM_TOKEN.'
          : 'Your identity lacks permission for this: ask for a role that grants it (Reader for checks, Contributor/Network Contributor to change things).'
        : undefined,
    },
  );
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.trim();
}

function safeHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** Runs an Azure call and converts its failure; `what` says what vnodes was doing. */
export async function armCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAzureError(error, what);
  }
}

/** True when an error is ARM's "not found" for the resource itself. */
export function isNotFound(error: unknown): boolean {
  return error instanceof AzureError && error.arm.statusCode === 404;
}
