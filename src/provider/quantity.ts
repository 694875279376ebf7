// ACI's granularity for Kubernetes quantities; the parsing itself is the workload rules' (one reading of "250m").
export { parseQuantity } from '../workloads/quantity.js';

/**
 * ACI's CPU granularity is 0.01 core and its memory's 0.1 GB (decimal). A Kubernetes request is a minimum, so vnodes
 * rounds up (azure-aci rounds down, which can give a container less than it asked for).
 */
export const aciCpu = (cores: number): number => Math.max(0.01, Math.ceil(Math.round(cores * 1e6) / 1e4) / 100);
/** Bytes to ACI's GB with 0.1 granularity, rounded up; at least 0.1. */
export const aciMemoryGb = (bytes: number): number => Math.max(0.1, Math.ceil(Math.round(bytes / 1e5) / 1e3) / 10);
