/**
 * The vnodes emulator: a real HTTPS server on 127.0.0.1 that behaves like Azure Resource Manager for the operations
 * vnodes uses. vnodes reaches it only through VNODES_ARM_ENDPOINT, VNODES_ARM_CA_FILE, VNODES_ARM_TOKEN and
 * AZURE_SUBSCRIPTION_ID. Behaviour spec, scenario format, fault syntax and the handler interface: docs/emulator.md.
 */
export { type Emulator, type EmulatorOptions, EmulatorPortInUse, startEmulator } from './emulator.js';
export { type AciTiming, DEFAULT_ACI_TIMING } from './arm/aci/lifecycle.js';
export { type FaultKind, type FaultRule, parseFaults } from './faults.js';
export type { RequestKind, RequestLog, RequestLogEntry, RequestLogFilter } from './request-log.js';
export { listScenarios } from './scenario/load.js';
export type { KubeApi } from './kube/index.js';
export type { ConnectorRuntime, ConnectorRuntimeInput } from './aks/connector-runtime.js';
export { AzConfigDirInUse, AzConfigDirUnsafe, type AzConfigTarget, prepareAzConfig } from './az/config-dir.js';
export type { ManagedIdentityEndpoint } from './identity/index.js';
export { ScenarioError } from './scenario/errors.js';
