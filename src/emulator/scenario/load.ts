import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../arm/store.js';
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
  return normalizeScenario(raw, basename(file, extname(file)), file);
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || EXTENSIONS.includes(extname(ref));
}

function resolveScenarioFile(ref: string, relativeTo: string): string {
  if (looksLikePath(ref)) {
    const file = isAbsolute(ref) ? ref : resolve(relativeTo, ref);
    if (!existsSync(file)) throw new Error(`Scenario file ${file} does not exist.`);
    return file;
  }
  for (const ext of EXTENSIONS) {
    const file = join(scenariosDir(), `${ref}${ext}`);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `Unknown scenario '${ref}'. Known scenarios: ${listScenarios().join(', ')}; or give a path to a .yaml/.json file.`,
  );
}

async function loadRaw(file: string, chain: string[]): Promise<Json> {
  if (chain.includes(file)) throw new Error(`Scenario ${file} extends itself (${[...chain, file].join(' → ')}).`);
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`Scenario ${file} is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`Scenario ${file} is not a mapping.`);
  const raw = await resolveExamples(doc as Json, dirname(file));
  const parentRef = raw.extends;
  if (parentRef === undefined) return raw;
  if (typeof parentRef !== 'string') throw new Error(`Scenario ${file}: 'extends' must be a scenario name or path.`);
  const parent = await loadRaw(resolveScenarioFile(parentRef, dirname(file)), [...chain, file]);
  return mergeScenarios(parent, raw);
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
  if (file === undefined) throw new Error(`Example ${ref.fromExample} not found (looked in ${candidates.join(', ')}).`);
  const example = JSON.parse(await readFile(file, 'utf8')) as { responses?: Record<string, { body?: unknown }> };
  const responses = example.responses ?? {};
  const key =
    ref.response === undefined ? ['200', '201'].find((k) => responses[k]?.body !== undefined) : String(ref.response);
  const body = key === undefined ? undefined : responses[key]?.body;
  if (body === undefined)
    throw new Error(`Example ${ref.fromExample} has no response body${key ? ` for ${key}` : ''}.`);
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
