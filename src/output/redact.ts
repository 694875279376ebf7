// The redaction rules live in src/util/redact.ts, where the ports (src/azure) can use them too.
export { REDACTED, isSecretKey, redactText, redactUrl, redactValue } from '../util/redact.js';
