// The network prerequisite checks, in the order a reader would fix them: cluster, VNet, subnet, egress, range.
import type { Check } from '../model.js';
import type { NetworkFacts } from '../../network/facts.js';
import { clusterNetworkChecks } from './cluster.js';
import { egressChecks } from './egress.js';
import { rangeChecks } from './range.js';
import { subnetChecks } from './subnet.js';
import { vnetChecks } from './vnet.js';

/** Every network check, run by `check-network`, `doctor` and `enable`'s preflight over one NetworkFacts. */
export const networkChecks: Check<NetworkFacts>[] = [
  ...clusterNetworkChecks,
  ...vnetChecks,
  ...subnetChecks,
  ...egressChecks,
  ...rangeChecks,
];
