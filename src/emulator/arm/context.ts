import type { IncomingHttpHeaders } from 'node:http';
import type { FaultInjector } from '../faults.js';
import type { RequestKind, RequestLog } from '../request-log.js';
import type { TokenIssuer } from '../identity/tokens.js';
import type { Scenario, SubscriptionSpec } from '../scenario/model.js';
import type { ArmError } from './errors.js';
import type { LroEngine } from './lro.js';
import type { Registrations } from './registrations.js';
import type { ArmServices } from './services.js';
import type { Json, ResourceStore } from './store.js';

/** Default of `holdPollsMs`: 1 s. */
export const DEFAULT_HOLD_POLLS_MS = 1000;

/** Everything one running ARM emulator holds. Built once at start; modules get it passed, never import it. */
export interface ArmState {
  readonly scenario: Scenario;
  readonly store: ResourceStore;
  /** Subscriptions by lower-cased id: the scenario's, plus any a scenario resource sits in. */
  readonly subscriptions: Map<string, SubscriptionSpec>;
  readonly registrations: Registrations;
  readonly lro: LroEngine;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  /** The static bearer token (VNODES_ARM_TOKEN). */
  readonly token: string;
  /** Issues the managed identity endpoint's JWTs and recognises them. */
  readonly tokens: TokenIssuer;
  /** 'https://127.0.0.1:PORT/' — where nextLinks and operation URLs point. */
  baseUrl: string;
  /** The emulated cloud's other endpoints, for the metadata document; set once the servers listen. */
  cloud: CloudEndpoints;
  latencyMs: number;
  /**
   * Longest a poll of a running operation is held before it answers InProgress. Azure SDK pollers poll once at once,
   * then wait Retry-After seconds (treating 0 as absent: their default 2 s), so holding the first poll until the
   * operation ends keeps emulated LROs as fast as `lroDelayMs` says.
   */
  readonly holdPollsMs: number;
  readonly now: () => number;
  /** Directory timing and the clusters' Kubernetes APIs, for handlers. */
  readonly services: ArmServices;
}

/** Where the emulated cloud's services other than ARM are (GET /metadata/endpoints). */
export interface CloudEndpoints {
  /** The cloud's name in the metadata document ('vnodes-emulator'). */
  name: string;
  /** Microsoft Graph base URL and token audience ('https://127.0.0.1:PORT/'); '' when not serving Graph. */
  graph: string;
}

/** One request, parsed, as handlers see it. */
export interface RequestContext {
  readonly state: ArmState;
  readonly method: string;
  /** Path without query, as sent. */
  readonly path: string;
  /** Decoded path segments. */
  readonly segments: string[];
  readonly query: URLSearchParams;
  /** The api-version query parameter. */
  readonly apiVersion: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when there was none. */
  readonly body: unknown;
}

/** What a handler answers: status, JSON body (none for 202/204 and HEAD), extra headers. */
export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request matched to an operation; produced without side effects so faults can match on `operation`. */
export interface ResolvedRoute {
  /** ARM operationId ('Providers_Get'), the request log's `operation`. */
  operation: string;
  kind: RequestKind;
  /** Full type whose api-versions the request must use; undefined skips the check (unknown routes). */
  apiType?: string;
  /** The versions accepted, when not the api-version table's row for `apiType` (a handler's own list). */
  apiVersions?: readonly string[];
  /** Location named in NoRegisteredProviderFound messages. */
  location?: string;
  /** Namespace that must be registered in the subscription (409 MissingSubscriptionRegistration otherwise). */
  requiresNamespace?: string;
  /** Served without a bearer token (the cloud metadata document). */
  anonymous?: boolean;
  exec(ctx: RequestContext): ArmResponse | Promise<ArmResponse>;
}

/** A result or a failure; handlers may return either, or throw an ArmError. */
export type ArmResult = ArmResponse | ArmError;

/** Shorthand for a 200 with a JSON body. */
export const ok = (body: unknown, headers?: Record<string, string>): ArmResponse => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});

/** The body as a JSON object, or undefined. */
export const jsonObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** The `properties` bag of a body (empty when absent). */
export const propertiesOf = (body: Json | undefined): Json => jsonObject(body?.properties) ?? {};

/** The JSON objects of an array value (anything else gives none). */
export const jsonList = (value: unknown): Json[] =>
  Array.isArray(value) ? value.map((x) => jsonObject(x)).filter((x): x is Json => x !== undefined) : [];
