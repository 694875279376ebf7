import { describe, expect, it } from 'vitest';
import { isSecretKey, redactText, redactUrl, redactValue } from '../../src/util/redact.js';

describe('isSecretKey', () => {
  it.each([
    ['adminPassword', true],
    ['password', true],
    ['clientSecret', true],
    ['secret', true],
    ['accessToken', true],
    ['refresh_token', true],
    ['token', true],
    ['primaryKey', true],
    ['key1', true],
    ['storageAccountKey', true],
    ['client-key-data', true],
    ['secureValue', true],
    ['connectionString', true],
    ['key', false],
    ['keyData', false],
    ['enableSecretRotation', false],
    ['azureKeyvaultSecretsProvider', false],
    ['tokenAudience', false],
    ['name', false],
    ['SubnetName', false],
  ])('%s → %s', (key, secret) => expect(isSecretKey(key)).toBe(secret));
});

describe('redaction', () => {
  it('removes URL user-info and secret query parameters', () => {
    expect(redactUrl('https://user:pw@arm.example/sub?api-version=1&sig=abc')).toBe(
      'https://REDACTED@arm.example/sub?api-version=1&sig=REDACTED',
    );
    expect(redactText('GET https://alice:s3cret@127.0.0.1:8443/x -> 200')).toBe(
      'GET https://REDACTED@127.0.0.1:8443/x -> 200',
    );
  });

  it('redacts secret-keyed fields of a body, deeply, and leaves the rest', () => {
    const body = {
      properties: {
        windowsProfile: { adminUsername: 'azureuser', adminPassword: 'P@ssw0rd-planted' },
        servicePrincipalProfile: { clientId: 'msi', secret: 'sp-secret-planted' },
        addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } },
        linuxProfile: { ssh: { publicKeys: [{ keyData: 'ssh-rsa AAAA' }] } },
      },
    };
    const out = redactValue(body);
    expect(JSON.stringify(out)).not.toMatch(/planted/);
    expect(out.properties.windowsProfile.adminUsername).toBe('azureuser');
    expect(out.properties.addonProfiles.aciConnectorLinux.config.SubnetName).toBe('virtual-node-aci');
    expect(out.properties.linuxProfile.ssh.publicKeys[0]!.keyData).toBe('ssh-rsa AAAA');
    expect(body.properties.windowsProfile.adminPassword).toBe('P@ssw0rd-planted');
  });

  it('redacts bearer credentials, JWTs, JSON and YAML secret fields in text', () => {
    const text = [
      'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      '{"adminPassword": "hunter2-planted", "name": "x"}',
      '    token: kube-token-planted',
      '    client-key-data: a2V5LXBsYW50ZWQ=',
    ].join('\n');
    const out = redactText(text);
    expect(out).not.toMatch(/abcdefghijklmnop|eyJzdWIi|planted|a2V5LXBsYW50ZWQ/);
    expect(out).toContain('"name": "x"');
  });

  it("leaves vnodes' own prose alone", () => {
    const prose = [
      'fix: The Azure SDK sends bearer tokens only over HTTPS: use an https:// URL.',
      '      - key: virtual-kubelet.io/provider',
      'Pass --cluster aks-demo (the key is the name).',
    ].join('\n');
    expect(redactText(prose)).toBe(prose);
  });
});
