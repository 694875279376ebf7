// A TCP pass-through in front of a server, so a test can cut every connection (a dropped watch, a network blip)
// without touching the server: TLS goes end to end, only the port differs.
import { createServer, connect, type Socket } from 'node:net';

/** A running proxy: `url` replaces the target's, `cut()` destroys every open connection. */
export async function tcpProxy(target: string): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(t.port), t.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, t.hostname, r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${t.protocol}//${t.hostname}:${port}`,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    },
  };
}
