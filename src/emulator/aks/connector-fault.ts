// A scenario knob for the emulated connector: a cluster tagged `vnodes-emulator-connector-error` makes every start
// of its connector fail with that text, for failures the emulator does not model from ARM state (an expired service
// principal secret, an Azure Policy deny, an unregistered provider seen by the connector). Real AKS has no such tag;
// scenarios use it so that `doctor` meets the connector's real log lines (research/pain.md §2.1).
import { jsonObject } from '../arm/context.js';
import type { StoredResource } from '../arm/store.js';

/** The tag that injects a connector start failure. */
const CONNECTOR_ERROR_TAG = 'vnodes-emulator-connector-error';

/** The injected failure text of a cluster's connector, if its scenario asks for one. */
export function injectedConnectorError(cluster: StoredResource): string | undefined {
  const value = jsonObject(cluster.body.tags)?.[CONNECTOR_ERROR_TAG];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
