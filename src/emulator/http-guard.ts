// What every request listener of the emulator goes through: a request URL parsed without throwing, and a listener
// wrapper so that nothing a handler throws or rejects with can end the process (one bad request must never take
// down every server of the emulator).
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request's URL against `base` ('https://emulator.invalid'), concatenated rather than resolved so that a path
 * starting '//' stays a path; repeated slashes are collapsed ('//api/v1' from a server URL with a trailing slash is
 * '/api/v1'). Undefined when the request target is not a path at all.
 */
export function requestUrl(req: IncomingMessage, base: string, collapseSlashes = true): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    const url = new URL(`${base}${target}`);
    if (url.origin !== new URL(base).origin) return undefined;
    if (collapseSlashes) url.pathname = url.pathname.replace(/\/{2,}/g, '/');
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Wraps a request listener: a synchronous throw or a rejection answers 500 (plain JSON) when nothing was sent yet and
 * otherwise drops the connection. Handlers answer their own errors in their own envelope; this is the last resort.
 */
export function guarded(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
  const last = (res: ServerResponse, error: unknown): void => {
    try {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const payload = JSON.stringify({
        error: { code: 'InternalServerError', message: `Emulator bug: ${String(error)}` },
      });
      res.writeHead(500, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(payload)),
      });
      res.end(payload);
    } catch {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((error: unknown) => last(res, error));
    } catch (error) {
      last(res, error);
    }
  };
}
