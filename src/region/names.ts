import { UsageError } from '../errors.js';

/** ARM's region name from any spelling: "East US", "eastus", "EASTUS" → "eastus". */
export function normalizeRegion(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known region names to a misspelt one, nearest first. */
export function suggestRegions(input: string, known: readonly string[], max = 3): string[] {
  const wanted = normalizeRegion(input);
  return known
    .map((name) => ({ name, d: name.startsWith(wanted) || wanted.startsWith(name) ? 0.5 : distance(wanted, name) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}

/** Normalises the requested regions and rejects names ACI does not know, suggesting the nearest ones. */
export function resolveRegions(requested: readonly string[], known: readonly string[]): string[] {
  const knownSet = new Set(known);
  const out: string[] = [];
  for (const raw of requested) {
    const name = normalizeRegion(raw);
    if (!knownSet.has(name)) {
      const near = suggestRegions(raw, known);
      throw new UsageError(
        `Unknown region "${raw}": Azure Container Instances does not list it.`,
        near.length
          ? `Did you mean ${near.map((n) => `--location ${n}`).join(' or ')}? (--all lists every region)`
          : 'Run vnodes check-region --all to list the regions.',
        'VNODES_UNKNOWN_REGION',
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
