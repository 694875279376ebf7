// Tokens must never reach logs or output, even with --debug: everything printed for debugging passes through here.

const SECRET_QUERY_KEYS =
  /^(sig|signature|token|access_token|code|client_secret|password|se|skoid|sktid|skt|ske|sks|skv)$/i;

/** Replaces secret-looking query parameters in a URL. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY_KEYS.test(key)) parsed.searchParams.set(key, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return redactText(url);
  }
}

const PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1REDACTED'],
  // JWTs (three base64url segments starting with eyJ).
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, 'REDACTED-JWT'],
  [
    /("(?:access_?token|refresh_?token|client_?secret|password|token|secret|key\d?)"\s*:\s*")[^"]*(")/gi,
    '$1REDACTED$2',
  ],
];

/** Replaces bearer tokens, JWTs and secret JSON fields in free text, plus any exact secrets given. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('REDACTED');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
