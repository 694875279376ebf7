// Raw ARM calls to a running emulator for tests: what a user would see with curl, trusting the emulator's CA.
import { request } from 'node:https';
import type { Emulator } from '../../src/emulator/index.js';

/** One raw ARM answer. */
export interface ArmReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** Sends one request (`path` starts with '/subscriptions/…') with the emulator's token; JSON in and out. */
export function armRequest(
  emulator: Emulator,
  method: string,
  path: string,
  apiVersion: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ArmReply> {
  const url = new URL(path.replace(/^\//, ''), emulator.armEndpoint);
  url.searchParams.set('api-version', apiVersion);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: emulator.caPem,
        headers: {
          authorization: `Bearer ${emulator.token}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** GET of one resource or list; the body as JSON. */
export const armGet = (emulator: Emulator, path: string, apiVersion: string): Promise<ArmReply> =>
  armRequest(emulator, 'GET', path, apiVersion);

/** Network's api-version of the installed SDK. */
export const NETWORK_API = '2026-01-01';
/** Container Service's api-version of the installed SDK. */
export const AKS_API = '2026-06-01';

/**
 * A Network example body as the emulator serves it once loaded: Network gives every VNet and subnet an etag, one
 * shared by the VNet and all its subnets, so the example (which has none) gains `etag` on each.
 */
export function withSharedEtag(example: any, etag: string): any {
  const subnets = example.properties?.subnets;
  if (!Array.isArray(subnets)) return { ...example, etag };
  return {
    ...example,
    etag,
    properties: { ...example.properties, subnets: subnets.map((s: any) => ({ ...s, etag })) },
  };
}
