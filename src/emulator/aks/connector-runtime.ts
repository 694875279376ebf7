// The seam through which the emulated aci-connector runs a real provider: the emulator imports nothing from vnodes, so
// whoever starts it (vnodes' `emulator start`, `demo`, the CLI tests) may hand it a runtime of this shape, and the
// connector starts it once the connector pod is healthy, as AKS's connector pod starts its provider.

/** Everything a provider needs to serve one emulated cluster's virtual node. */
export interface ConnectorRuntimeInput {
  clusterName: string;
  clusterId: string;
  /** A kubeconfig (YAML) for the cluster's API server, trusted through the emulator's CA. */
  kubeconfig: string;
  /** 'https://127.0.0.1:PORT/' */
  armEndpoint: string;
  caPem: string;
  caFile: string;
  /** The emulator's static ARM token (the add-on identity's rights are the emulator's to judge). */
  token: string;
  subscriptionId: string;
  nodeName: string;
  /** Where the add-on's container groups go: the node resource group. */
  aciResourceGroup: string;
  region: string;
  subnetId: string;
  /** The connector pod's IP: the node's InternalIP and the pods' hostIP. */
  nodeIP: string;
  /** Appends a line to the connector container's log (`kubectl logs` shows the provider's steps). */
  log(line: string): void;
}

/** A provider the connector can start per cluster; `stop` removes the node but keeps the container groups. */
export interface ConnectorRuntime {
  start(input: ConnectorRuntimeInput): Promise<{ stop(): Promise<void> }>;
}
