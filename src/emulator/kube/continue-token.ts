// The continue tokens of paged lists: the list's resourceVersion and the last key served, opaque to clients. A
// token the server did not issue is 400, as the apiserver answers a continue it cannot decode.
import { KubeError } from './errors.js';

/** A token for the page after `start`, read at resourceVersion `rv`. */
export const encodeContinue = (rv: number, start: string): string =>
  Buffer.from(JSON.stringify({ v: 1, rv, start })).toString('base64url');

/** The resourceVersion and start key of a token from encodeContinue; 400 BadRequest for anything else. */
export const decodeContinue = (token: string): { rv: number; start: string } => {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // Fall through to the error below: a token we did not issue.
  }
  throw new KubeError(400, 'BadRequest', 'continue key is not valid: the token was not issued by this server');
};
