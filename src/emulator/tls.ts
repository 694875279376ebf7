/** A certificate and its private key, PEM-encoded. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** The emulator's certificate authority: clients trust `cert` (VNODES_ARM_CA_FILE, the kubeconfig's CA data). */
export interface CertificateAuthority extends KeyPair {
  /** Issues a server certificate for these host names / IP addresses, signed by this CA. */
  issue(hosts: readonly string[]): Promise<KeyPair>;
}

const VALID_DAYS = 30;
const isIp = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');

/**
 * Generates a fresh CA (EC P-256, kept in memory only) at every start. `selfsigned` is imported here, not at module
 * load, so nothing heavy runs until an emulator starts.
 */
export async function createCertificateAuthority(): Promise<CertificateAuthority> {
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + VALID_DAYS * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: 'vnodes emulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return {
    cert: ca.cert,
    key: ca.private,
    async issue(hosts) {
      const leaf = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        notBeforeDate,
        notAfterDate,
        ca: { key: ca.private, cert: ca.cert },
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: hosts.map((h) => (isIp(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })),
          },
        ],
      });
      return { cert: leaf.cert, key: leaf.private };
    },
  };
}
