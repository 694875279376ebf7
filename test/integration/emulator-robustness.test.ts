// The emulator survives what clients should not send: malformed request targets on every server, and URLs built
// from a server address with a trailing slash.
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { KubeApi } from '../../src/emulator/kube/index.js';

let emu: Emulator;
let kube: KubeApi;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'healthy' });
  kube = await emu.kube();
});
afterAll(() => emu.close());

const kubeToken = (): string => /token: (\S+)/.exec(kube.kubeconfig())![1]!;

/** Sends one raw HTTP/1.1 request (TLS unless the URL is http:) and resolves with the status line's code. */
function rawRequest(base: string, target: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({ host: url.hostname, port: Number(url.port), ca: emu.caPem, servername: 'localhost' })
      : netConnect({ host: url.hostname, port: Number(url.port) });
    let text = '';
    socket.setEncoding('utf8');
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      const lines = [
        `GET ${target} HTTP/1.1`,
        `Host: ${url.host}`,
        'Connection: close',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('malformed request targets', () => {
  it('a raw "GET //" or a non-path target is answered 400 by the Kubernetes API server, which keeps serving', async () => {
    expect(await rawRequest(kube.url, '//')).toBe(401);
    expect(await rawRequest(kube.url, ':1')).toBe(400);
    expect(await rawRequest(kube.url, '//', { Authorization: `Bearer ${kubeToken()}` })).toBe(404);
    expect(await rawRequest(kube.url, '/version')).toBe(200);
  });

  it('ARM, Graph and the managed identity endpoint answer non-path targets without dying', async () => {
    expect(await rawRequest(emu.armEndpoint, ':1')).toBe(400);
    expect(await rawRequest(emu.armEndpoint, '//')).toBeGreaterThanOrEqual(400);
    expect(await rawRequest(emu.graphEndpoint, ':1')).toBe(400);
    expect(await rawRequest((await emu.managedIdentity()).endpoint, ':1')).toBeGreaterThanOrEqual(400);
    expect(await rawRequest((await emu.managedIdentity()).endpoint, '/nowhere')).toBe(404);
    expect(await rawRequest(emu.armEndpoint, '/metadata/endpoints?api-version=2022-09-01')).toBe(200);
  });

  it('a kubeconfig server URL with a trailing slash still reaches /api/v1 ("//api/v1/..." is "/api/v1/...")', async () => {
    expect(await rawRequest(kube.url, '//api/v1/namespaces', { Authorization: `Bearer ${kubeToken()}` })).toBe(200);
  });

  it('bad percent-encoding in a resource path is 400, not 500', async () => {
    expect(await rawRequest(kube.url, '/api/v1/namespaces/%zz/pods', { Authorization: `Bearer ${kubeToken()}` })).toBe(
      400,
    );
  });
});
