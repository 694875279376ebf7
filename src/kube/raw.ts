// A small JSON client over the kubeconfig's connection (TLS, token or client certificate), with keep-alive, for the
// provider's hot paths: status writes with the exact body (client-node's serializer insists on Date objects), list
// and watch streams. Errors keep the HTTP status and the API's Status reason.
import type { Agent, RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A failed call: `code` is the HTTP status (0 when the server was not reached). */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** JSON requests and line streams against one API server. */
export interface KubeJson {
  request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  /** Streams a watch: one callback per JSON line; resolves when the server ends it, rejects on failure or abort. */
  stream(path: string, onLine: (object: unknown) => void, signal: AbortSignal): Promise<void>;
  readonly server: string;
  close(): void;
}

/** A client for the kubeconfig's current context. */
export async function kubeJson(config: KubeConfig, maxSockets = 16, debug?: (line: string) => void): Promise<KubeJson> {
  const https = await import('node:https');
  const server = config.getCurrentCluster()?.server ?? '';
  const base = new URL(server);
  const agent: Agent = new https.Agent({ keepAlive: true, maxSockets });
  const options = async (method: string, path: string, headers: Record<string, string>): Promise<RequestOptions> => {
    const opts: RequestOptions = {
      method,
      hostname: base.hostname,
      port: base.port || 443,
      path: `${base.pathname.replace(/\/$/, '')}${path}`,
      headers: { accept: 'application/json', ...headers },
    };
    await config.applyToHTTPSOptions(opts);
    return { ...opts, agent };
  };
  const fail = (status: number, text: string): KubeHttpError => {
    try {
      const s = JSON.parse(text) as { message?: string; reason?: string; code?: number };
      return new KubeHttpError(status, s.message ?? text, s.reason);
    } catch {
      return new KubeHttpError(status, text.slice(0, 200));
    }
  };
  return {
    server,
    close: () => agent.destroy(),
    async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const opts = await options(
        method,
        path,
        payload === undefined
          ? {}
          : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) },
      );
      const t0 = performance.now();
      return new Promise<T>((resolve, reject) => {
        const req = https.request(opts, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new KubeHttpError(0, e.message)));
          res.on('end', () => {
            debug?.(
              `${method} ${base.origin}${path.split('?')[0]} -> ${res.statusCode} in ${Math.round(performance.now() - t0)} ms`,
            );
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 400) reject(fail(res.statusCode ?? 0, text));
            else resolve((text ? JSON.parse(text) : undefined) as T);
          });
        });
        req.on('error', (e) => reject(new KubeHttpError(0, e.message)));
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
    async stream(path, onLine, signal) {
      const opts = await options('GET', path, {});
      return new Promise<void>((resolve, reject) => {
        const req = https.request({ ...opts, agent: false as unknown as Agent, signal }, (res) => {
          if ((res.statusCode ?? 0) >= 400) {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString('utf8')));
            res.on('end', () => reject(fail(res.statusCode ?? 0, text)));
            return;
          }
          let buffer = '';
          res.on('data', (c: Buffer) => {
            buffer += c.toString('utf8');
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl).trim();
              buffer = buffer.slice(nl + 1);
              if (!line) continue;
              try {
                onLine(JSON.parse(line));
              } catch (error) {
                req.destroy();
                reject(error);
                return;
              }
            }
          });
          res.on('end', () => resolve());
          res.on('error', (e) => reject(new KubeHttpError(0, e.message)));
          res.on('aborted', () => reject(new KubeHttpError(0, 'watch aborted')));
        });
        req.on('error', (e) => reject(new KubeHttpError(0, e.message)));
        req.end();
      });
    },
  };
}
