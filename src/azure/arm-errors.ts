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

// Node's TLS failures: the endpoint's certificate is not one vnodes trusts (or not for that host).
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const RETRIED = 'vnodes already retried it 3 times';

/**
 * The fix line for an ARM answer vnodes has no more specific advice for (every error printed carries one): by ARM
 * code, then HTTP status; no status means a long-running operation that ended Failed, or a call that never got one.
 */
export function armRemediation(statusCode: number | undefined, armCode: string, message = ''): string {
  switch (armCode) {
    case 'SubscriptionNotFound':
      return 'Check the subscription id (az account list -o table shows those you can use) and pass it with --subscription, or set AZURE_SUBSCRIPTION_ID.';
    case 'ResourceGroupNotFound':
      return 'Check -g/--resource-group: az group list -o table lists the resource groups of this subscription.';
    case 'MissingSubscriptionRegistration': {
      const namespace = /namespace '([\w.]+)'/i.exec(message)?.[1] ?? '<the namespace ARM names>';
      return `Register the resource provider: az provider register --namespace ${namespace} --wait, then re-run.`;
    }
    case 'OperationNotAllowed':
    case 'AnotherOperationInProgress':
    case 'Conflict':
      return 'Another operation on this resource is running: wait for it to finish (az aks show shows provisioningState), then re-run.';
    case 'PreconditionFailed':
      return 'The resource changed while vnodes was updating it: re-run the same command; it reads it again.';
  }
  if (statusCode === 401) return 'Your credential was rejected: sign in again (`az login`) or check VNODES_ARM_TOKEN.';
  if (statusCode === 403)
    return 'Your identity lacks permission for this: ask for a role that grants it (Reader for checks, Contributor/Network Contributor to change things).';
  if (statusCode === 404)
    return 'Check the names you passed (--cluster, -g, --subscription): az aks list -o table lists the clusters you can see.';
  if (statusCode === 429)
    return `Azure is throttling this subscription and ${RETRIED}: wait a minute, then re-run the same command.`;
  if (statusCode === 431)
    return 'The request was too large for the endpoint (431 Request Header Fields Too Large): shorten the values you passed, or check a proxy between you and Azure that adds headers.';
  if (statusCode !== undefined && statusCode >= 500)
    return `Azure had a server-side problem and ${RETRIED}: re-run in a few minutes; if it persists, open an Azure support request quoting the x-ms-request-id.`;
  if (statusCode === undefined)
    return "The operation failed in Azure: fix what ARM's message names, then re-run the same command; vnodes reads the resource as Azure left it and finishes the job.";
  return "Azure refused the request: ARM's message above says why. Re-run with --debug to see the HTTP calls.";
}

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
    if (e.code && TLS_CODES.has(e.code)) {
      const host = safeHost(e.request?.url);
      return new AzureError(
        `The TLS certificate of ${host ?? 'the ARM endpoint'} is not trusted (${e.code}) while ${what}: ${firstLine(e.message)}.`,
        { armCode: e.code, statusCode: undefined, requestId },
        {
          code: 'VNODES_AZURE_TLS',
          remediation:
            "Set VNODES_ARM_CA_FILE to the PEM of the CA that signed the endpoint's certificate (behind a TLS-inspecting proxy, the proxy's CA), and check VNODES_ARM_ENDPOINT names the right host.",
          cause: error,
        },
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
          remediation: `Check your network or proxy (and that the endpoint is up), then re-run; ${RETRIED}.`,
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
  return new AzureError(
    `Azure returned ${e.statusCode} ${armCode} while ${what}: ${message || statusText(e.statusCode)}`,
    { armCode, statusCode: e.statusCode, requestId },
    // 401/403 get their fix here; other answers get armRemediation's when printed, unless the caller, who knows what
    // vnodes was doing, gives a better one.
    {
      cause: error,
      ...(e.statusCode === 401 || e.statusCode === 403 ? { remediation: armRemediation(e.statusCode, armCode) } : {}),
    },
  );
}

function statusText(status: number): string {
  return status === 431 ? 'Request Header Fields Too Large' : `HTTP ${status}`;
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
