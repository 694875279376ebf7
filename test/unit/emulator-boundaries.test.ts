// The emulator's own layering: it imports nothing from the product, and its identity services import nothing from
// its ARM side (they get what they need through the IdentityDirectory interface), so the two never form a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const EMULATOR = resolve(new URL('../../src/emulator', import.meta.url).pathname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of a file, resolved to a path. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    resolve(dirname(file), m[1]!),
  );

describe('emulator boundaries', () => {
  it('imports nothing from the product', () => {
    const escapes = sources(EMULATOR).flatMap((f) =>
      importsOf(f)
        .filter((i) => relative(EMULATOR, i).startsWith('..'))
        .map((i) => `${relative(EMULATOR, f)} → ${i}`),
    );
    expect(escapes).toEqual([]);
  });

  it('keeps identity/ free of arm/ (arm may use identity, not the other way round)', () => {
    const arm = join(EMULATOR, 'arm');
    const back = sources(join(EMULATOR, 'identity')).flatMap((f) =>
      importsOf(f)
        .filter((i) => i === arm || i.startsWith(`${arm}/`))
        .map((i) => `${relative(EMULATOR, f)} → ${relative(EMULATOR, i)}`),
    );
    expect(back).toEqual([]);
  });
});
