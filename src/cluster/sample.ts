/** A deployment that lands on the virtual node (virtual-node-aci-linux): the node selector and tolerations it needs. */
export function sampleDeployment(name = 'aci-helloworld'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: mcr.microsoft.com/azuredocs/aci-helloworld
          ports: [{ containerPort: 80 }]
          resources:
            requests: { cpu: "1", memory: 1.5G }
      nodeSelector:
        kubernetes.io/role: agent
        kubernetes.io/os: linux
        type: virtual-kubelet
      tolerations:
        - { key: virtual-kubelet.io/provider, operator: Exists }
        - { key: azure.com/aci, effect: NoSchedule }
`;
}
