import { AuthError, VnodesError } from '../errors.js';

interface ApiExceptionLike {
  code?: number | string;
  body?: unknown;
  message?: string;
}

/** The Kubernetes Status message inside an ApiException body, when there is one. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message;
    } catch {
      return body.slice(0, 200);
    }
  }
  return (body as { message?: string } | undefined)?.message;
}

/** Converts a @kubernetes/client-node failure into a VnodesError naming what vnodes was doing. */
function toKubeError(error: unknown, what: string): VnodesError {
  if (error instanceof VnodesError) return error;
  const e = (error ?? {}) as ApiExceptionLike;
  const status = typeof e.code === 'number' ? e.code : undefined;
  const message = statusMessage(e.body) ?? e.message ?? String(error);
  if (status === 401 || status === 403) {
    return new AuthError(`Kubernetes refused ${what} (${status}): ${message}`, {
      code: 'VNODES_KUBE_FORBIDDEN',
      remediation:
        'Use a kubeconfig context with read access to nodes and pods (--context), or check your cluster role bindings.',
      cause: error,
    });
  }
  if (status === undefined) {
    return new VnodesError(`Could not reach the Kubernetes API server while ${what}: ${message}`, {
      code: 'VNODES_KUBE_UNREACHABLE',
      remediation:
        'Check that the API server is reachable from here (private clusters need a network path), then retry.',
      cause: error,
    });
  }
  return new VnodesError(`Kubernetes answered ${status} while ${what}: ${message}`, {
    code: 'VNODES_KUBE',
    cause: error,
  });
}

/** Runs a Kubernetes call; 404 becomes `undefined`, anything else a VnodesError. */
export async function kubeGet<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if ((error as ApiExceptionLike).code === 404) return undefined;
    throw toKubeError(error, what);
  }
}

/** Runs a Kubernetes call, converting its failure. */
export async function kubeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toKubeError(error, what);
  }
}
