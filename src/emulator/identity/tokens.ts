import { randomBytes, randomUUID } from 'node:crypto';

/** The claims of a token the emulator issues, as Entra ID puts them in a managed identity's access token. */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  /** Tenant and object id: what `az login --identity` reads (`tid`) and what ARM names in 403s (`oid`). */
  tid: string;
  oid: string;
  sub: string;
  appid: string;
  appidacr: string;
  idp: string;
  idtyp: 'app';
  uti: string;
  ver: '1.0';
  /** The managed identity's ARM id. */
  xms_mirid?: string;
}

/** Who a token is for: a managed identity of the emulated directory. */
export interface TokenSubject {
  objectId: string;
  clientId: string;
  /** ARM id of the identity (absent for the emulator's own system-assigned identity). */
  resourceId?: string;
}

/** An issued token and when it ends. */
export interface IssuedToken {
  accessToken: string;
  claims: TokenClaims;
  /** Epoch seconds. */
  expiresOn: number;
}

const TOKEN_LIFETIME_S = 24 * 3600;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Trailing slashes do not matter when ARM compares audiences. */
export const sameAudience = (a: string, b: string): boolean =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * Issues unsigned JWTs (`alg: none`: clients such as the Azure CLI decode them without verifying) and recognises
 * the ones it issued: a token is valid when this issuer minted exactly that string and it has not expired. Nothing
 * else is accepted, so a hand-made JWT with the same claims is refused.
 */
export class TokenIssuer {
  private readonly issued = new Map<string, TokenClaims>();
  // A per-start random `kid`, so tokens of another emulator instance never look alike.
  private readonly keyId = randomBytes(8).toString('hex');

  constructor(
    readonly tenantId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for `subject` to call `resource` (the audience). */
  issue(resource: string, subject: TokenSubject): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const sts = `https://sts.windows.net/${this.tenantId}/`;
    const claims: TokenClaims = {
      aud: resource,
      iss: sts,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_S,
      tid: this.tenantId,
      oid: subject.objectId,
      sub: subject.objectId,
      appid: subject.clientId,
      appidacr: '2',
      idp: sts,
      idtyp: 'app',
      uti: randomUUID().replace(/-/g, ''),
      ver: '1.0',
      ...(subject.resourceId !== undefined ? { xms_mirid: subject.resourceId } : {}),
    };
    const accessToken = `${b64({ typ: 'JWT', alg: 'none', kid: this.keyId })}.${b64(claims)}.`;
    this.prune();
    this.issued.set(accessToken, claims);
    return { accessToken, claims, expiresOn: claims.exp };
  }

  /** The claims of a token this issuer minted and that is still valid, else undefined. */
  verify(token: string): TokenClaims | undefined {
    const claims = this.issued.get(token);
    if (claims === undefined || claims.exp * 1000 <= this.now()) return undefined;
    return claims;
  }

  private prune(): void {
    const now = this.now();
    for (const [token, claims] of this.issued) if (claims.exp * 1000 <= now) this.issued.delete(token);
  }
}
