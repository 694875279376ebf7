import { generate } from 'selfsigned';

/** PEMs for an HTTPS test server on 127.0.0.1: a CA and a leaf it signed. */
export interface TestTls {
  ca: string;
  cert: string;
  key: string;
}

let cached: Promise<TestTls> | undefined;

/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost signed by it (EC P-256, so generation is quick).
 * Generated once per test file and kept in memory; nothing is written to disk.
 */
export const testTls = (): Promise<TestTls> => {
  cached ??= (async () => {
    const ca = await generate([{ name: 'commonName', value: 'vnodes test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    return { ca: ca.cert, cert: leaf.cert, key: leaf.private };
  })();
  return cached;
};
