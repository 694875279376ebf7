// The ARM front checks the bearer token before it reads a request body: without the token nobody makes the emulator
// buffer a body (up to its 8 MiB limit).
import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

describe('emulator: ARM authentication comes before the body', () => {
  let emu: Emulator;
  afterAll(() => emu?.close());

  it('answers 401 to a request without a token before reading its body', async () => {
    emu = await startEmulator();
    const path = `subscriptions/${emu.subscriptionId}/resourceGroups/rg-big?api-version=2021-04-01`;
    // Announces 9 MiB (over the 8 MiB limit) and sends 1 KiB: read first, it would wait for the rest, or answer 413.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL(path, emu.armEndpoint),
        {
          method: 'PUT',
          ca: emu.caPem,
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(9 * 1024 * 1024) },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.write(Buffer.alloc(1024, 0x20));
    });
    expect(status).toBe(401);
    expect(emu.requests.count({ status: 401 })).toBe(1);
  });
});
