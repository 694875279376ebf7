import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { Cloud } from './cloud.js';

/** A credential that hands out one fixed token: VNODES_ARM_TOKEN, for private endpoints and the emulator. */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

/**
 * DefaultAzureCredential, imported only when a command first needs a token so that `vnodes --help` never loads
 * @azure/identity.
 */
export function lazyDefaultCredential(cloud: Cloud): TokenCredential {
  let inner: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      inner ??= import('@azure/identity').then(
        ({ DefaultAzureCredential }) => new DefaultAzureCredential({ authorityHost: cloud.authorityHost }),
      );
      return (await inner).getToken(scopes, options);
    },
  };
}
