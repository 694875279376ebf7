// The network prerequisite checks, in the order a reader would fix them: cluster, VNet, subnet, egress, range.
import type { AnyCheck } from '../engine.js';
import { clusterNetworkChecks } from './cluster.js';
import { egressChecks } from './egress.js';
import { rangeChecks } from './range.js';
import { subnetChecks } from './subnet.js';
import { vnetChecks } from './vnet.js';

/** Every network check, run by `check-network`, `doctor` and `enable`'s preflight over one NetworkFacts. */
export const networkChecks: AnyCheck[] = [
  ...clusterNetworkChecks,
  ...vnetChecks,
  ...subnetChecks,
  ...egressChecks,
  ...rangeChecks,
];
