import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../arm/store.js';
import { ScenarioError } from './errors.js';
import type { Scenario } from './model.js';
import { mergeScenarios, normalizeScenario } from './normalize.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * `<package root>/src/emulator/scenarios`: found by walking up from this module to the package.json, so the same
 * data serves `src/` under vitest and `dist/` after tsc.
 */
function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i += 1) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'emulator', 'scenarios');
    dir = dirname(dir);
  }
  throw new Error('vnodes emulator: cannot find the package root (package.json) above the emulator module.');
}

/** Names of the shipped scenarios, sorted. */
export function listScenarios(): string[] {
  return readdirSync(scenariosDir())
    .filter((f) => EXTENSIONS.includes(extname(f)))
    .map((f) => basename(f, extname(f)))
    .sort();
}

/** Loads a scenario by name (a shipped one) or by path to a .yaml/.yml/.json file, resolving `extends`. */
export async function loadScenario(ref: string): Promise<Scenario> {
  const file = resolveScenarioFile(ref, process.cwd());
  const raw = await loadRaw(file, []);
  try {
    return normalizeScenario(raw, basename(file, extname(file)), file);
  } catch (error) {
    if (!(error instanceof ScenarioError) || error.key === undefined) throw error;
    throw error.at(await topLevelKeyLine(file, error.key));
  }
}

/** The 1-based line of a top-level key in a scenario file, if the file itself has it (not only its parent). */
async function topLevelKeyLine(file: string, key: string): Promise<number | undefined> {
  const { LineCounter, parseDocument, isMap, isScalar } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(await readFile(file, 'utf8'), { lineCounter: lines });
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || EXTENSIONS.includes(extname(ref));
}

function resolveScenarioFile(ref: string, relativeTo: string): string {
  if (looksLikePath(ref)) {
    const file = isAbsolute(ref) ? ref : resolve(relativeTo, ref);
    if (!existsSync(file)) throw new ScenarioError(file, 'the file does not exist');
    return file;
  }
  for (const ext of EXTENSIONS) {
    const file = join(scenariosDir(), `${ref}${ext}`);
    if (existsSync(file)) return file;
  }
  throw new ScenarioError(
    undefined,
    `Unknown scenario '${ref}'. Known scenarios: ${listScenarios().join(', ')}; or give a path to a .yaml/.json file`,
  );
}

async function loadRaw(file: string, chain: string[]): Promise<Json> {
  if (chain.includes(file))
    throw new ScenarioError(file, `it extends itself (${[...chain, file].join(' → ')})`, undefined, 'extends');
  const { parse, YAMLParseError } = await import('yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    // A directory, or a file the user may not read.
    throw new ScenarioError(file, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0]?.line : undefined;
    throw new ScenarioError(
      file,
      `it is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]!.replace(/:$/, '')}`,
      line,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new ScenarioError(file, `it is not a mapping of keys (description, resources, …) but ${describe(doc)}`);
  const raw = await resolveExamples(doc as Json, dirname(file));
  const parentRef = raw.extends;
  if (parentRef === undefined) return raw;
  const extendsLine = () => topLevelKeyLine(file, 'extends');
  if (typeof parentRef !== 'string')
    throw new ScenarioError(file, `'extends' must be a scenario name or path`, await extendsLine());
  let parentFile: string;
  try {
    parentFile = resolveScenarioFile(parentRef, dirname(file));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new ScenarioError(file, `'extends: ${parentRef}': ${e.problem}`, await extendsLine());
  }
  const parent = await loadRaw(parentFile, [...chain, file]);
  try {
    return mergeScenarios(parent, raw);
  } catch (e) {
    if (!(e instanceof ScenarioError) || e.file) throw e;
    throw new ScenarioError(file, e.problem, await topLevelKeyLine(file, 'patch'), e.key);
  }
}

function describe(doc: unknown): string {
  if (doc === null || doc === undefined) return 'empty';
  return Array.isArray(doc) ? 'a list' : `a ${typeof doc}`;
}

/** True for `{fromExample: 'Microsoft.Network/VirtualNetworkGet.json', response?: '200'}`. */
function isExampleRef(value: unknown): value is { fromExample: string; response?: string | number } {
  return typeof value === 'object' && value !== null && typeof (value as Json).fromExample === 'string';
}

/**
 * The response body of an ARM example file (`{parameters, responses: {'200': {body}}}`): the given response, else
 * 200, else 201. Looked up beside the scenario file first, then in the shipped `scenarios/examples/`.
 */
async function exampleBody(
  ref: { fromExample: string; response?: string | number },
  baseDir: string,
): Promise<unknown> {
  const candidates = [resolve(baseDir, ref.fromExample), join(scenariosDir(), 'examples', ref.fromExample)];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined)
    throw new ScenarioError(
      undefined,
      `Example ${ref.fromExample} not found (looked in ${candidates.join(', ')})`,
      undefined,
      'resources',
    );
  let example: { responses?: Record<string, { body?: unknown }> };
  try {
    example = JSON.parse(await readFile(file, 'utf8')) as typeof example;
  } catch (e) {
    throw new ScenarioError(file, `the example is not valid JSON: ${(e as Error).message}`);
  }
  const responses = example.responses ?? {};
  const key =
    ref.response === undefined ? ['200', '201'].find((k) => responses[k]?.body !== undefined) : String(ref.response);
  const body = key === undefined ? undefined : responses[key]?.body;
  if (body === undefined)
    throw new ScenarioError(undefined, `Example ${ref.fromExample} has no response body${key ? ` for ${key}` : ''}`);
  return body;
}

/** The rows of a list example (`body.value`), or the body itself when it is one resource. */
async function exampleItems(
  ref: { fromExample: string; response?: string | number },
  baseDir: string,
): Promise<unknown[]> {
  const body = (await exampleBody(ref, baseDir)) as Json;
  return Array.isArray(body.value) && body.id === undefined ? body.value : [body];
}

/** Replaces `fromExample` references in resources, profiles and regions with the example bodies. */
async function resolveExamples(doc: Json, baseDir: string): Promise<Json> {
  const out: Json = { ...doc };
  const expandList = async (list: unknown): Promise<unknown> => {
    if (isExampleRef(list)) return exampleItems(list, baseDir);
    if (!Array.isArray(list)) return list;
    const parts = await Promise.all(list.map(async (x) => (isExampleRef(x) ? exampleItems(x, baseDir) : [x])));
    return parts.flat();
  };
  if (doc.resources !== undefined) out.resources = await expandList(doc.resources);
  for (const key of ['capabilityProfiles', 'usageProfiles']) {
    const profiles = doc[key];
    if (profiles === null || typeof profiles !== 'object') continue;
    const resolved: Json = {};
    for (const [name, rows] of Object.entries(profiles as Json)) resolved[name] = await expandList(rows);
    out[key] = resolved;
  }
  if (Array.isArray(doc.regions)) {
    out.regions = await Promise.all(
      doc.regions.map(async (r: unknown) => {
        if (r === null || typeof r !== 'object') return r;
        const region = { ...(r as Json) };
        for (const key of ['capabilities', 'usages'])
          if (region[key] !== undefined) region[key] = await expandList(region[key]);
        return region;
      }),
    );
  }
  return out;
}
