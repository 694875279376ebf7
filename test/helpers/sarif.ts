// Validation of SARIF logs against the OASIS 2.1.0 schema checked in under test/fixtures/sarif (no network).
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';

// ajv-draft-04 is CommonJS: under Node's ESM interop its class is the default export's `default`.
const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as unknown as new (
  options: object,
) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } };

const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
// The schema's language pattern is not valid in Unicode mode, and URI formats are not what is being tested.
const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);

/** Schema errors of a SARIF log (empty when valid). */
export function sarifErrors(log: unknown): unknown[] {
  return validate(log) ? [] : (validate.errors ?? ['invalid']).slice(0, 5);
}
