// Kubernetes resource quantities ("250m", "1.5", "512Mi", "1G", "2e3") as numbers, and ACI's granularity for them.

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity (cores, bytes, or a count), or undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]{0,2})$/.exec(value.trim());
  if (m === null) return undefined;
  const factor = SUFFIX[m[2]!];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

/**
 * ACI's CPU granularity is 0.01 core and its memory's 0.1 GB (decimal). A Kubernetes request is a minimum, so vnodes
 * rounds up (azure-aci rounds down, which can give a container less than it asked for).
 */
export const aciCpu = (cores: number): number => Math.max(0.01, Math.ceil(Math.round(cores * 1e6) / 1e4) / 100);
/** Bytes to ACI's GB with 0.1 granularity, rounded up; at least 0.1. */
export const aciMemoryGb = (bytes: number): number => Math.max(0.1, Math.ceil(Math.round(bytes / 1e5) / 1e3) / 10);
