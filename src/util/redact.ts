// Secrets never reach output, even with --debug or --dry-run: everything printed for debugging, every recorded
// request and every error passes through here. Two kinds of rule: by place (URL user-info, secret query parameters,
// a bearer credential) and by key (a JSON or YAML field whose name says it holds a secret). Ordinary prose is left
// alone: "sends bearer tokens only over HTTPS" is vnodes' own advice, not a credential.

/** What replaces a secret. */
const REDACTED = 'REDACTED';

const SECRET_QUERY_KEYS =
  /^(sig|signature|token|access_token|code|client_secret|password|se|skoid|sktid|skt|ske|sks|skv)$/i;

/** The last word of a key that holds a secret: adminPassword, clientSecret, accessToken, primaryKey, key1. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'credential',
  'credentials',
  'signature',
  'connectionstring',
  'sas',
  'passphrase',
]);

/** camelCase, snake_case and kebab-case keys as lower-case words: `client-key-data` → client, key, data. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase().replace(/\d+$/, ''));
}

/**
 * True for a key whose value is a secret, by name alone. `key` (a taint's), `keyData` (an SSH public key) and
 * `enableSecretRotation` are not; `client-key-data` (kubeconfig), `key1` and `secureValue` (ACI) are.
 */
export function isSecretKey(key: string): boolean {
  if (/^connection_?string$/i.test(key)) return true;
  const w = words(key);
  const last = w.at(-1) ?? '';
  if (SECRET_WORDS.has(last)) return true;
  // primaryKey, accountKey, key1; not a bare `key`, which Kubernetes uses for labels and taints.
  if (last === 'key' && (w.length > 1 || /\d$/.test(key))) return true;
  if (w[0] === 'secure') return true;
  // client-key-data, token-data; not keyData, an SSH public key.
  return last === 'data' && w.length > 2 && (w.includes('key') || w.includes('token'));
}

/** A deep copy of a JSON value with every secret-keyed scalar replaced. */
export function redactValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) && v !== null && typeof v !== 'object' && v !== '' ? REDACTED : redactValue(v);
  }
  return out as T;
}

/** Replaces URL user-info and secret-looking query parameters. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED;
    parsed.password = '';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  // Untouched URLs are returned as given: URL's serialisation may re-encode characters the SDK chose.
  return changed ? parsed.toString() : url;
}

const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  // user:password@ (or a lone user@, which may be a token) in any URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`],
  // A bearer credential: the scheme as HTTP writes it, then a token-shaped word (16+ characters), never prose.
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*/g, `$1${REDACTED}`],
  // JWTs (three base64url segments starting with eyJ).
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, `${REDACTED}-JWT`],
  // "key": "value" in JSON text, by key.
  [
    /("([A-Za-z0-9_.-]+)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g,
    (all, open, key, value, close) => (isSecretKey(key!) && value !== '' ? `${open}${REDACTED}${close}` : all!),
  ],
  // key: value in YAML text (a kubeconfig), by key.
  [
    /^(\s*-?\s*([A-Za-z0-9_.-]+):[ \t]+)(\S.*)$/gm,
    (all, open, key, value) => (isSecretKey(key!) && !/^[|>{[]/.test(value!) ? `${open}${REDACTED}` : all!),
  ],
  // Query parameters in free text (a URL inside a message that was not parsed as one).
  [/([?&](?:sig|signature|access_token|client_secret|password|skoid|sktid)=)[^&\s"]+/gi, `$1${REDACTED}`],
];

/** Replaces credentials in free text (URLs, bearer tokens, JWTs, secret JSON/YAML fields), plus any exact secrets. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  return out;
}
