import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free port of `host`; resolves with its base URL ('http://127.0.0.1:PORT/'). */
export async function listenLoopback(server: Server, host: string, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/** Stops listening and drops open connections (clients keep them alive). */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
