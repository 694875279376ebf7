// Per-request plumbing shared by the handlers: reading bodies, writing JSON/text/Status, and the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { requestUrl } from '../http-guard.js';
import { DEFAULT_REQUEST_LOG_LIMIT, pushBounded } from '../request-log.js';
import { KubeError, badRequest, toKubeError } from './errors.js';

/** One line of the request log: what was asked and how it was answered. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection), or the lower-cased method for non-resource paths. */
  verb: string;
  /** Resource with subresource ("pods", "pods/log"); '' for discovery and other non-resource paths. */
  resource: string;
  status: number;
}

/** Largest request body accepted; the apiserver's limit is 3 MiB, which no object the emulator serves comes near. */
const MAX_BODY = 3 * 1024 * 1024;

/** One request being served: parsed URL plus response helpers that record the outcome in the log once. */
export class Call {
  readonly url: URL;
  readonly query: URLSearchParams;
  /** The request target could not be read as a path (answered 400 by the front). */
  readonly badTarget: boolean;
  verb: string;
  resource = '';
  private logged = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly log: RequestLogEntry[],
    /** How many entries `log` keeps (the oldest go first). */
    private readonly logLimit: number = DEFAULT_REQUEST_LOG_LIMIT,
  ) {
    // Never throws: a constructor failure would escape the front's try and end the process.
    const url = requestUrl(req, 'https://emulator.invalid');
    this.badTarget = url === undefined;
    this.url = url ?? new URL('https://emulator.invalid/');
    this.query = this.url.searchParams;
    this.verb = (req.method ?? 'GET').toLowerCase();
  }

  /** Records the status in the request log (first call wins: a stream logs when it starts). */
  record(status: number): void {
    if (this.logged) return;
    this.logged = true;
    pushBounded(
      this.log,
      { method: this.req.method ?? 'GET', path: this.url.pathname, verb: this.verb, resource: this.resource, status },
      this.logLimit,
    );
  }

  json(status: number, body: unknown, contentType = 'application/json'): void {
    this.record(status);
    const text = JSON.stringify(body);
    this.res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
    this.res.end(text);
  }

  text(status: number, body: string): void {
    this.record(status);
    this.res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /** Answers with the failure as a Kubernetes Status object. */
  fail(err: unknown): void {
    const e = toKubeError(err);
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.json(e.code, e.toStatus());
  }

  /** Starts a chunked JSON stream (watch, log follow); the log records 200 now, not when it ends. */
  stream(contentType: string): void {
    this.record(200);
    this.res.writeHead(200, {
      'Content-Type': contentType,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    this.res.flushHeaders();
  }

  /** The request body as text (empty string when there is none). */
  async body(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY)
        throw new KubeError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY}`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * The body of a create/update/delete, parsed from JSON or YAML; an empty body is `undefined` (DELETE without
   * options). Protobuf (which kubectl's typed "create <thing>" generators send) is refused with 415.
   */
  async jsonBody(): Promise<unknown> {
    const contentType = (this.req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    const yaml = contentType === 'application/yaml';
    if (!yaml && contentType !== 'application/json' && contentType !== '*/*') {
      throw new KubeError(
        415,
        'UnsupportedMediaType',
        `the emulated API server accepts JSON or YAML bodies only, not ${contentType}; send the object as JSON (kubectl apply -f / create -f do)`,
      );
    }
    const text = await this.body();
    if (text.trim() === '') return undefined;
    try {
      return yaml ? parseYaml(text) : JSON.parse(text);
    } catch (err) {
      throw badRequest(
        `the body of the request could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** An integer query parameter, or undefined when absent; 400 when not an integer. */
  int(name: string): number | undefined {
    const raw = this.query.get(name);
    if (raw === null || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw badRequest(`${name}: invalid value "${raw}": must be an integer`);
    return Number(raw);
  }

  /** A boolean query parameter ("true"/"1"). */
  flag(name: string): boolean {
    return ['1', 'true'].includes(this.query.get(name) ?? '');
  }

  /** A string query parameter, or undefined when absent or empty. */
  param(name: string): string | undefined {
    const raw = this.query.get(name);
    return raw === null || raw === '' ? undefined : raw;
  }
}
