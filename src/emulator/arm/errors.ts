/** The body of an ARM error: `{error: {code, message, target?, details?}}` minus the outer wrapper. */
export interface ArmErrorBody {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorBody[];
  /** Typed extra information (a policy deny's PolicyViolation entries). */
  additionalInfo?: { type: string; info: unknown }[];
}

/** An ARM failure a handler returns or throws; the front turns it into the `{error:{code,message}}` envelope. */
export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly details: ArmErrorBody[] | undefined;
  readonly headers: Record<string, string>;
  readonly additionalInfo: ArmErrorBody['additionalInfo'];

  constructor(
    status: number,
    code: string,
    message: string,
    extra: {
      target?: string;
      details?: ArmErrorBody[];
      headers?: Record<string, string>;
      additionalInfo?: ArmErrorBody['additionalInfo'];
    } = {},
  ) {
    super(message);
    this.name = 'ArmError';
    this.status = status;
    this.code = code;
    this.target = extra.target;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
    this.additionalInfo = extra.additionalInfo;
  }

  /** The inner error object, as ARM writes it. */
  toBody(): ArmErrorBody {
    const body: ArmErrorBody = { code: this.code, message: this.message };
    if (this.target !== undefined) body.target = this.target;
    if (this.details !== undefined) body.details = this.details;
    if (this.additionalInfo !== undefined) body.additionalInfo = this.additionalInfo;
    return body;
  }
}

// The constructors below carry ARM's own codes and wording, so vnodes' error handling meets real messages.

/** 401 when no bearer token came with the request. */
export const authenticationFailed = (): ArmError =>
  new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");

/** 401 when the bearer token is not the one this server issued. */
export const invalidToken = (): ArmError =>
  new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');

/** 401 when the token was issued for another resource (a Graph token sent to ARM). */
export const wrongAudience = (audience: string, audiences: readonly string[]): ArmError =>
  new ArmError(
    401,
    'InvalidAuthenticationTokenAudience',
    `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(',')}.`,
  );

/** 400 when the query has no api-version. */
export const missingApiVersion = (): ArmError =>
  new ArmError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );

/** 400 for an api-version the resource type does not support (resource provider types). */
export const noRegisteredProvider = (
  location: string,
  apiVersion: string,
  type: string,
  versions: readonly string[],
  locations: readonly string[],
): ArmError =>
  new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type ` +
      `'${type}'. The supported api-versions are '${versions.join(', ')}'. The supported locations are ` +
      `'${locations.join(', ')}'.`,
  );

/** 400 for an api-version ARM itself does not support (subscriptions, resource groups, providers). */
export const invalidApiVersion = (apiVersion: string, versions: readonly string[]): ArmError =>
  new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${apiVersion}' is invalid. The supported versions are '${versions.join(',')}'. Please note that ` +
      'the api-version is case-sensitive.',
  );

/** 404 for an unknown subscription. */
export const subscriptionNotFound = (subscriptionId: string): ArmError =>
  new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);

/** 404 for an unknown resource group. */
export const resourceGroupNotFound = (name: string): ArmError =>
  new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);

/** 404 for a resource that does not exist (type like 'Microsoft.Network/virtualNetworks', name like 'vnet/subnet'). */
export const resourceNotFound = (type: string, name: string, resourceGroup: string | undefined): ArmError =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup ?? '<none>'}' was not found. ` +
      'For more details please go to https://aka.ms/ARMResourceNotFoundFix',
  );

/** 404 when a child resource is written under a parent that does not exist. */
export const parentResourceNotFound = (childType: string, parentId: string): ArmError =>
  new ArmError(
    404,
    'ParentResourceNotFound',
    `Failed to perform 'write' on resource(s) of type '${childType}', because the parent resource ` +
      `'${parentId}' could not be found.`,
  );

/** 404 for a resource type the namespace does not have. */
export const invalidResourceType = (type: string, namespace: string, apiVersion: string): ArmError =>
  new ArmError(
    404,
    'InvalidResourceType',
    `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
  );

/** 400 for a namespace no provider serves. */
export const invalidResourceNamespace = (namespace: string): ArmError =>
  new ArmError(400, 'InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`);

/** 409 when the subscription is not registered for the namespace. */
export const missingSubscriptionRegistration = (namespace: string): ArmError => {
  const message =
    `The subscription is not registered to use namespace '${namespace}'. ` +
    'See https://aka.ms/rps-not-found for how to register subscriptions.';
  return new ArmError(409, 'MissingSubscriptionRegistration', message, {
    details: [{ code: 'MissingSubscriptionRegistration', target: namespace, message }],
  });
};

/** 412 when If-Match / If-None-Match does not hold. */
export const preconditionFailed = (): ArmError =>
  new ArmError(412, 'PreconditionFailed', 'The condition specified using HTTP conditional header(s) is not met.');

/** 400 for a body that is not JSON. */
export const invalidRequestContent = (detail: string): ArmError =>
  new ArmError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );

/** 405 for a method a path does not support. */
export const methodNotAllowed = (method: string): ArmError =>
  new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);

/** 409 when a write arrives while a long-running operation on the same resource is still running. */
export const anotherOperationInProgress = (id: string): ArmError =>
  new ArmError(
    409,
    'AnotherOperationInProgress',
    `Another operation on this or dependent resource is in progress. Retry the request after it completes. Resource: ${id}`,
  );

/** AKS's answer to a write while another operation on the cluster runs (`phase`: its provisioningState). */
export const operationNotAllowed = (phase: string): ArmError =>
  new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another operation (${phase}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
  );
