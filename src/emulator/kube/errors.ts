/** The `reason` values of a Kubernetes `Status` the emulator produces. */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'BadRequest'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'InternalError';

/** One entry of `Status.details.causes` (a field that failed validation, for instance). */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** What a failed API call names: the kind/resource and object it was about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  /** How long the client should wait before retrying (Timeout, TooManyRequests). */
  retryAfterSeconds?: number;
}

/** A Kubernetes `Status` object (kind: Status), as the API server writes it for failures and some deletes. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/**
 * A failure with the Kubernetes `Status` it becomes on the wire. The store throws these too, so in-process emulator
 * logic can branch on `reason` exactly as an API client would.
 */
export class KubeError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubeError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) status.details = this.details;
    return status;
  }
}

/** `group` for details/messages: "pods" for the core group, "deployments.apps" otherwise, as the apiserver prints it. */
const qualified = (resource: string, group: string): string => (group === '' ? resource : `${resource}.${group}`);

// The constructors below use the apiserver's own wording, so clients and people see familiar messages.

export const notFound = (resource: string, group: string, name: string, kind?: string): KubeError =>
  new KubeError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {
    name,
    group,
    kind: kind ?? resource,
  });

/** 404 for a path the server does not serve at all. */
export const noSuchPath = (): KubeError =>
  new KubeError(404, 'NotFound', 'the server could not find the requested resource', {});

export const alreadyExists = (resource: string, group: string, name: string): KubeError =>
  new KubeError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });

export const conflict = (resource: string, group: string, name: string, why: string): KubeError =>
  new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, {
    name,
    group,
    kind: resource,
  });

/** 403 from an admission plugin: `pods "x" is forbidden: <why>` (the apiserver's admission.NewForbidden). */
export const forbidden = (resource: string, group: string, name: string, why: string): KubeError =>
  new KubeError(403, 'Forbidden', `${qualified(resource, group)} "${name}" is forbidden: ${why}`, {
    name,
    group,
    kind: resource,
  });

/** 409 for an update whose resourceVersion is not the current one. */
export const staleResourceVersion = (resource: string, group: string, name: string): KubeError =>
  conflict(
    resource,
    group,
    name,
    'the object has been modified; please apply your changes to the latest version and try again',
  );

/** 422 with one cause per invalid field; `kind` is the object kind ("Pod"). */
export const invalid = (kind: string, group: string, name: string, causes: StatusCause[]): KubeError => {
  const what = causes.map((c) => (c.field === undefined ? c.message : `${c.field}: ${c.message}`)).join(', ');
  const label = group === '' ? kind : `${kind}.${group}`;
  return new KubeError(422, 'Invalid', `${label} "${name}" is invalid: ${what}`, { name, group, kind, causes });
};

/** 410 for a watch or continue token older than what the server still remembers. */
export const expired = (message: string): KubeError => new KubeError(410, 'Expired', message);

/**
 * A watch or read from a resourceVersion the server has not reached, as the apiserver's storage says it
 * (storage.NewTooLargeResourceVersionError: 504 Timeout, cause ResourceVersionTooLarge, retry after 1 s).
 */
export const tooLargeResourceVersion = (requested: number, current: number): KubeError =>
  new KubeError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

export const badRequest = (message: string): KubeError => new KubeError(400, 'BadRequest', message);

export const unauthorized = (): KubeError => new KubeError(401, 'Unauthorized', 'Unauthorized');

export const methodNotAllowed = (method: string, what: string): KubeError =>
  new KubeError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${what})`,
  );

export const unsupportedMediaType = (contentType: string): KubeError =>
  new KubeError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${contentType || 'none'})`,
  );

/** Normalises anything thrown into a KubeError: unknown failures become 500 InternalError. */
export const toKubeError = (err: unknown): KubeError =>
  err instanceof KubeError
    ? err
    : new KubeError(
        500,
        'InternalError',
        `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
      );
