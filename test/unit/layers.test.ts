// The house rules on layers, read from the imports of every file in src/ (docs/architecture.md draws them).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

/** One import: the importing file and what it names, both relative to the repo (`src/...`) or a package name. */
interface Import {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Static `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')`; comments are dropped
// first so a specifier named in prose does not count.
const STATIC = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const from = relative(root, file);
  const target = (spec: string) =>
    spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  const out: Import[] = [];
  for (const m of text.matchAll(STATIC)) out.push({ from, to: target(m[3]!), typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(DYNAMIC)) out.push({ from, to: target(m[1]!), typeOnly: false });
  return out;
}

const ALL = files(src).flatMap(importsOf);
const under = (path: string, ...dirs: string[]) => dirs.some((d) => path === d || path.startsWith(`${d}/`));
const CORE = ['region', 'network', 'network-features', 'cluster', 'checks', 'doctor', 'workloads', 'provider'].map(
  (d) => `src/${d}`,
);
const isSdk = (to: string) => to.startsWith('@azure/') || to === '@kubernetes/client-node';

/** Each rule: a name, and the imports that break it. */
const RULES: [string, (i: Import) => boolean][] = [
  [
    'Azure SDK and @kubernetes/client-node are imported at run time only in src/azure and src/kube',
    (i) => isSdk(i.to) && !i.typeOnly && !under(i.from, 'src/azure', 'src/kube'),
  ],
  [
    'core (region, network*, cluster, checks, doctor, workloads, provider) never imports commands/, output/ or cli.ts',
    (i) => under(i.from, ...CORE) && (under(i.to, 'src/commands', 'src/output') || i.to === 'src/cli.ts'),
  ],
  [
    'src/emulator is imported only by the emulator start and demo commands',
    (i) =>
      under(i.to, 'src/emulator') &&
      !under(i.from, 'src/emulator') &&
      !['src/commands/emulator-start.ts', 'src/commands/demo.ts'].includes(i.from),
  ],
  [
    'src/emulator imports nothing of the product',
    (i) => under(i.from, 'src/emulator') && i.to.startsWith('src/') && !under(i.to, 'src/emulator'),
  ],
  [
    'checks/ imports the network domain layer, never a feature (network-features, cluster, check-region, commands)',
    (i) =>
      under(i.from, 'src/checks') &&
      (under(i.to, 'src/network-features', 'src/cluster', 'src/commands', 'src/output') ||
        ['src/region/check-region.ts', 'src/region/evaluate.ts', 'src/cli.ts'].includes(i.to)),
  ],
  [
    'the network domain layer (src/network) imports neither checks nor features',
    (i) => under(i.from, 'src/network') && under(i.to, 'src/checks', 'src/network-features', 'src/cluster'),
  ],
];

describe('layers', () => {
  it('reads the imports of every source file', () => {
    expect(ALL.length).toBeGreaterThan(200);
    expect(ALL).toContainEqual({ from: 'src/cli.ts', to: 'src/commands/registry.ts', typeOnly: false });
  });

  it.each(RULES)('%s', (_rule, breaks) => {
    expect(ALL.filter(breaks).map((i) => `${i.from} imports ${i.to}${i.typeOnly ? ' (type)' : ''}`)).toEqual([]);
  });
});
