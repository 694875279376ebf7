// Each rule of the catalog: a manifest that trips it (rule id, field path, line and column, fix) and one that does not.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/workloads/registry.js';
import type { Severity, Stack } from '../../src/workloads/types.js';
import { ctr, lintText, pod, positionOf, workload } from '../helpers/lint.js';

interface Case {
  rule: string;
  trips: string;
  clean: string;
  path: string;
  /** Text at the finding's line and column in `trips` (first occurrence, or the n-th). */
  at: string | [string, number];
  fix: string;
  stack?: Stack;
  severity?: Severity;
}

const containers = (...items: string[]) => `containers:\n${items.join('\n')}`;
const C = containers(ctr());
const untargeted = (scheduling: string, spec = C) => pod(`${scheduling}\n${spec}`, { target: false });
const volumes = (v: string) => `${C}\nvolumes:\n${v}`;
const many = (n: number) => Array.from({ length: n }, (_, i) => `  - name: v${i}\n    emptyDir: {}`).join('\n');
const withRes = (res: string) => `containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n${res}`;
const TOLERATE = 'tolerations:\n  - key: virtual-kubelet.io/provider\n    operator: Exists';
const NOT_VIRTUAL = `affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions:
            - key: type
              operator: NotIn
              values: [virtual-kubelet]`;
const project = (src: string) => pod(volumes(`  - name: p\n    projected:\n      sources:\n${src}`));

const CASES: Case[] = [
  {
    rule: 'LNT-SCH-001',
    trips: untargeted('nodeSelector:\n  type: virtual-kubelet'),
    clean: pod(C),
    path: 'spec.nodeSelector',
    at: 'nodeSelector:',
    fix: 'virtual-kubelet.io/provider',
  },
  {
    rule: 'LNT-SCH-002',
    trips: untargeted(`nodeSelector:\n  kubernetes.io/os: linux\n${TOLERATE}`),
    clean: pod(C),
    path: 'spec.nodeSelector["kubernetes.io/os"]',
    at: 'kubernetes.io/os: linux',
    fix: 'type: virtual-kubelet',
  },
  {
    rule: 'LNT-SCH-003',
    trips: untargeted(
      'nodeSelector:\n  type: virtual-kubelet\ntolerations:\n  - key: azure.com/aci\n    operator: Exists',
    ),
    clean: pod(C),
    path: 'spec.tolerations[0].key',
    at: 'key: azure.com/aci',
    fix: 'Tolerate virtual-kubelet.io/provider',
  },
  {
    rule: 'LNT-SCH-004',
    trips: workload('DaemonSet', `tolerations:\n  - operator: Exists\n${C}`, { target: false }),
    clean: workload('DaemonSet', `tolerations:\n  - operator: Exists\n${NOT_VIRTUAL}\n${C}`, { target: false }),
    path: 'spec.template.spec.tolerations[0]',
    at: 'operator: Exists',
    fix: 'NotIn, values: [virtual-kubelet]',
  },
  {
    rule: 'LNT-SCH-005',
    trips: untargeted(`nodeSelector:\n  type: virtual-kubelet\n  kubernetes.io/os: windows\n${TOLERATE}`),
    clean: untargeted(`nodeSelector:\n  type: virtual-kubelet\n  kubernetes.io/os: linux\n${TOLERATE}`),
    path: 'spec.nodeSelector["kubernetes.io/os"]',
    at: 'kubernetes.io/os: windows',
    fix: 'Windows node pool',
  },
  {
    rule: 'LNT-SCH-006',
    trips: pod(`hostNetwork: true\n${C}`),
    clean: pod(`hostNetwork: false\n${C}`),
    path: 'spec.hostNetwork',
    at: 'hostNetwork: true',
    fix: 'Remove hostNetwork',
  },
  {
    rule: 'LNT-CMD-001',
    trips: pod(containers(ctr('args: [--port, "80"]'))),
    clean: pod(containers(ctr('command: [app]\nargs: [--port, "80"]'))),
    path: 'spec.containers[0].args',
    at: 'args:',
    fix: 'ENTRYPOINT',
  },
  {
    rule: 'LNT-CMD-002',
    trips: pod(containers(ctr('workingDir: /srv'))),
    clean: pod(C),
    path: 'spec.containers[0].workingDir',
    at: 'workingDir: /srv',
    fix: 'cd in the command',
  },
  {
    rule: 'LNT-LC-001',
    trips: pod(containers(ctr('lifecycle:\n  preStop:\n    exec:\n      command: [sleep, "5"]'))),
    clean: pod(C),
    path: 'spec.containers[0].lifecycle.preStop',
    at: 'preStop:',
    fix: 'handle SIGTERM',
  },
  {
    rule: 'LNT-PRB-001',
    trips: pod(containers(ctr('livenessProbe:\n  tcpSocket:\n    port: 80'))),
    clean: pod(containers(ctr('livenessProbe:\n  httpGet:\n    path: /\n    port: 80'))),
    path: 'spec.containers[0].livenessProbe.tcpSocket',
    at: 'tcpSocket:',
    fix: 'httpGet or exec',
  },
  {
    rule: 'LNT-PRB-002',
    trips: pod(containers(ctr('startupProbe:\n  httpGet:\n    path: /\n    port: 80'))),
    clean: pod(C),
    path: 'spec.containers[0].startupProbe',
    at: 'startupProbe:',
    fix: 'initialDelaySeconds',
  },
  {
    rule: 'LNT-PRB-003',
    trips: pod(
      containers(
        ctr(
          'readinessProbe:\n  httpGet:\n    path: /\n    port: 80\n    httpHeaders:\n      - name: X-A\n        value: b',
        ),
      ),
    ),
    clean: pod(containers(ctr('readinessProbe:\n  httpGet:\n    path: /\n    port: 80'))),
    path: 'spec.containers[0].readinessProbe.httpGet.httpHeaders',
    at: 'httpHeaders:',
    fix: 'Drop it',
  },
  {
    rule: 'LNT-SEC-001',
    trips: pod(containers(ctr('securityContext:\n  runAsUser: 1000'))),
    clean: pod(C),
    path: 'spec.containers[0].securityContext',
    at: 'securityContext:',
    fix: 'USER',
  },
  {
    rule: 'LNT-SEC-001',
    trips: pod(containers(ctr('securityContext:\n  privileged: true'))),
    clean: pod(C),
    path: 'spec.containers[0].securityContext.privileged',
    at: 'privileged: true',
    fix: 'drop privileged',
    severity: 'fail',
  },
  {
    rule: 'LNT-MESH-001',
    trips: pod(C, { meta: 'annotations:\n  sidecar.istio.io/inject: "true"' }),
    clean: pod(C, { meta: 'annotations:\n  sidecar.istio.io/inject: "false"' }),
    path: 'metadata.annotations["sidecar.istio.io/inject"]',
    at: 'sidecar.istio.io/inject',
    fix: 'sidecar.istio.io/inject: "false"',
  },
  {
    rule: 'LNT-DAPR-001',
    trips: workload('Deployment', C, { podMeta: 'annotations:\n  dapr.io/enabled: "true"' }),
    clean: workload('Deployment', C),
    path: 'spec.template.metadata.annotations["dapr.io/enabled"]',
    at: 'dapr.io/enabled',
    fix: 'Do not enable Dapr',
  },
  {
    rule: 'LNT-SHARE-001',
    trips: pod(`shareProcessNamespace: true\n${C}`),
    clean: pod(C),
    path: 'spec.shareProcessNamespace',
    at: 'shareProcessNamespace',
    fix: 'Remove it',
  },
  {
    rule: 'LNT-RES-001',
    trips: pod('containers:\n  - name: bare\n    image: nginx:1.27'),
    clean: pod(C),
    path: 'spec.containers[0]',
    at: 'name: bare',
    fix: 'resources.requests.cpu and resources.requests.memory',
  },
  {
    rule: 'LNT-RES-002',
    trips: pod(withRes('      requests: { cpu: 500m, memory: 1Gi }\n      limits: { cpu: "2", memory: 1Gi }')),
    clean: pod(withRes('      requests: { cpu: 500m, memory: 1Gi }\n      limits: { cpu: 500m, memory: 1Gi }')),
    path: 'spec.containers[0].resources.limits.cpu',
    at: 'cpu: "2"',
    fix: 'limits equal to requests',
  },
  {
    rule: 'LNT-RES-003',
    trips: pod(withRes('      requests:\n        cpu: "6"\n        memory: 8Gi')),
    clean: pod(C),
    path: 'spec.containers',
    at: 'containers:',
    fix: 'big container group capacity',
  },
  {
    rule: 'LNT-RES-004',
    trips: pod(withRes('      requests:\n        cpu: "32"\n        memory: 8Gi')),
    clean: pod(withRes('      requests:\n        cpu: "6"\n        memory: 8Gi')),
    path: 'spec.containers',
    at: 'containers:',
    fix: 'Split the pod',
  },
  {
    rule: 'LNT-RES-005',
    trips: pod(withRes('      requests: { cpu: "1", memory: 1Gi }\n      limits:\n        nvidia.com/gpu: 1')),
    clean: pod(C),
    path: 'spec.containers[0].resources.limits["nvidia.com/gpu"]',
    at: 'nvidia.com/gpu: 1',
    fix: 'GPU node pool',
  },
  {
    rule: 'LNT-RES-006',
    trips: pod(withRes('      requests: { cpu: "1", memory: 1Gi }\n      limits:\n        hugepages-2Mi: 100Mi')),
    clean: pod(withRes('      requests: { cpu: "1", memory: 1Gi, ephemeral-storage: 10Gi }')),
    path: 'spec.containers[0].resources.limits.hugepages-2Mi',
    at: 'hugepages-2Mi',
    fix: 'Remove hugepages-2Mi',
  },
  {
    rule: 'LNT-RES-007',
    trips: pod(volumes(many(21))),
    clean: pod(volumes(many(20))),
    path: 'spec.volumes',
    at: 'volumes:',
    fix: 'projected volume',
  },
  {
    rule: 'LNT-ENV-001',
    trips: pod(containers(ctr('env:\n  - name: IP\n    valueFrom:\n      fieldRef:\n        fieldPath: status.podIP'))),
    clean: pod(
      containers(ctr('env:\n  - name: NAME\n    valueFrom:\n      fieldRef:\n        fieldPath: metadata.name')),
    ),
    path: 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath',
    at: 'fieldPath: status.podIP',
    fix: 'hostname -i',
  },
  {
    rule: 'LNT-ENV-002',
    trips: pod(
      containers(ctr('env:\n  - name: CPU\n    valueFrom:\n      resourceFieldRef: { resource: limits.cpu }')),
    ),
    clean: pod(containers(ctr('env:\n  - name: CPU\n    value: "1"'))),
    path: 'spec.containers[0].env[0].valueFrom.resourceFieldRef',
    at: 'resourceFieldRef',
    fix: 'literally',
  },
  {
    rule: 'LNT-ENV-004',
    trips: pod(containers(ctr('env:\n  - name: my.setting\n    value: x'))),
    clean: pod(containers(ctr('env:\n  - name: MY_SETTING\n    value: x'))),
    path: 'spec.containers[0].env[0].name',
    at: 'name: my.setting',
    fix: 'APP_CONFIG_PATH',
  },
  {
    rule: 'LNT-VOL-001',
    trips: pod(volumes('  - name: data\n    persistentVolumeClaim:\n      claimName: data')),
    clean: pod(volumes('  - name: data\n    emptyDir: {}')),
    path: 'spec.volumes[0].persistentVolumeClaim',
    at: 'persistentVolumeClaim:',
    fix: 'Virtual Nodes v2',
  },
  {
    rule: 'LNT-VOL-001',
    stack: 'v2',
    trips: pod(volumes('  - name: host\n    hostPath:\n      path: /var/log')),
    clean: pod(volumes('  - name: data\n    persistentVolumeClaim:\n      claimName: data')),
    path: 'spec.volumes[0].hostPath',
    at: 'hostPath:',
    fix: 'VM node pool',
  },
  {
    rule: 'LNT-VOL-001',
    trips: workload('StatefulSet', C, {
      extraSpec:
        'volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]',
    }),
    clean: workload('StatefulSet', C),
    path: 'spec.volumeClaimTemplates[0]',
    at: 'metadata:\n        name: data',
    fix: 'Virtual Nodes v2',
  },
  {
    rule: 'LNT-VOL-002',
    trips: pod(volumes('  - name: s\n    csi:\n      driver: secrets-store.csi.k8s.io')),
    clean: pod(
      volumes(
        '  - name: f\n    csi:\n      driver: file.csi.azure.com\n      volumeAttributes: { secretName: s, shareName: share }',
      ),
    ),
    path: 'spec.volumes[0].csi.driver',
    at: 'driver: secrets-store',
    fix: 'file.csi.azure.com',
  },
  {
    rule: 'LNT-VOL-003',
    trips: pod(volumes('  - name: f\n    azureFile:\n      shareName: share')),
    clean: pod(volumes('  - name: f\n    azureFile:\n      shareName: share\n      secretName: creds')),
    path: 'spec.volumes[0].azureFile',
    at: 'azureFile:',
    fix: 'Set secretName',
  },
  {
    rule: 'LNT-VOL-004',
    trips: project(
      '        - downwardAPI:\n            items:\n              - path: labels\n                fieldRef: { fieldPath: metadata.labels }',
    ),
    clean: project('        - configMap:\n            name: c\n            items: [{ key: a, path: a }]'),
    path: 'spec.volumes[0].projected.sources[0].downwardAPI',
    at: 'downwardAPI:',
    fix: 'env or a configMap',
  },
  {
    rule: 'LNT-VOL-005',
    trips: project('        - serviceAccountToken:\n            path: token'),
    clean: project('        - configMap:\n            name: c\n            items: [{ key: a, path: a }]'),
    path: 'spec.volumes[0].projected.sources[0].serviceAccountToken',
    at: 'serviceAccountToken:',
    fix: 'kubernetes.io/service-account-token',
  },
  {
    rule: 'LNT-VOL-006',
    trips: project('        - secret:\n            name: s'),
    clean: project('        - secret:\n            name: s\n            items: [{ key: a, path: a }]'),
    path: 'spec.volumes[0].projected.sources[0].secret',
    at: 'secret:',
    fix: 'List every key under items',
  },
  {
    rule: 'LNT-VOL-007',
    trips: pod(volumes('  - name: c\n    configMap:\n      name: c\n      defaultMode: 0400')),
    clean: pod(volumes('  - name: c\n    configMap:\n      name: c')),
    path: 'spec.volumes[0].configMap.defaultMode',
    at: 'defaultMode',
    fix: 'chmod',
  },
  {
    rule: 'LNT-INIT-001',
    trips: pod(`initContainers:\n  - name: init\n    image: busybox\n    command: ["true"]\n${C}`),
    clean: pod(C),
    path: 'spec.initContainers',
    at: 'initContainers:',
    fix: 'vnodes doctor',
  },
  {
    rule: 'LNT-INIT-002',
    trips: pod(
      `initContainers:\n  - name: init\n    image: busybox\n    command: ["true"]\n    ports:\n      - containerPort: 80\n${C}`,
    ),
    clean: pod(`initContainers:\n  - name: init\n    image: busybox\n    command: ["true"]\n${C}`),
    path: 'spec.initContainers[0].ports',
    at: 'ports:',
    fix: 'Remove ports',
  },
  {
    rule: 'LNT-INIT-003',
    trips: pod(
      `initContainers:\n  - name: proxy\n    image: envoy\n    command: [envoy]\n    restartPolicy: Always\n${C}`,
    ),
    clean: pod(`initContainers:\n  - name: proxy\n    image: envoy\n    command: [envoy]\n${C}`),
    path: 'spec.initContainers[0].restartPolicy',
    at: 'restartPolicy: Always',
    fix: 'regular container',
  },
  {
    rule: 'LNT-HA-001',
    trips: pod(`hostAliases:\n  - ip: 10.0.0.5\n    hostnames: [db.local]\n${C}`),
    clean: pod(C),
    path: 'spec.hostAliases',
    at: 'hostAliases:',
    fix: 'private DNS zone',
  },
  {
    rule: 'LNT-DNS-001',
    trips: pod(`dnsPolicy: Default\n${C}`),
    clean: pod(`dnsPolicy: ClusterFirst\n${C}`),
    path: 'spec.dnsPolicy',
    at: 'dnsPolicy: Default',
    fix: 'ClusterFirst',
  },
  {
    rule: 'LNT-DNS-002',
    trips: pod(`dnsConfig:\n  nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9]\n${C}`),
    clean: pod(`dnsConfig:\n  nameservers: [1.1.1.1]\n${C}`),
    path: 'spec.dnsConfig.nameservers',
    at: 'nameservers:',
    fix: 'at most 3',
  },
  {
    rule: 'LNT-DNS-003',
    trips: pod(`hostname: db-0\n${C}`),
    clean: pod(C),
    path: 'spec.hostname',
    at: 'hostname: db-0',
    fix: 'through a Service',
  },
  {
    rule: 'LNT-ID-001',
    trips: workload('Deployment', C, { podMeta: 'labels:\n  azure.workload.identity/use: "true"' }).replace(
      '      labels:\n        app: w\n      labels:',
      '      labels:\n        app: w',
    ),
    clean: workload('Deployment', C),
    path: 'spec.template.metadata.labels["azure.workload.identity/use"]',
    at: 'azure.workload.identity/use',
    fix: '--stack v2',
  },
  {
    rule: 'LNT-ID-002',
    trips: pod(C, { meta: 'labels:\n  aadpodidbinding: my-id' }),
    clean: pod(C, { meta: 'labels:\n  app: x' }),
    path: 'metadata.labels.aadpodidbinding',
    at: 'aadpodidbinding',
    fix: 'workload identity',
  },
  {
    rule: 'LNT-IMG-001',
    trips: pod(
      'containers:\n  - name: app\n    image: myacr.azurecr.io/app:1.0\n    resources: { requests: { cpu: 100m, memory: 128Mi } }',
    ),
    clean: pod(
      'imagePullSecrets:\n  - name: acr\ncontainers:\n  - name: app\n    image: myacr.azurecr.io/app:1.0\n    resources: { requests: { cpu: 100m, memory: 128Mi } }',
    ),
    path: 'spec.containers[0].image',
    at: 'image: myacr',
    fix: 'docker-registry secret for myacr.azurecr.io',
  },
  {
    rule: 'LNT-NAME-001',
    trips: pod(C, { namespace: 'a-namespace-with-a-long-name', name: 'a-pod-name-that-is-long-as-well-really' }),
    clean: pod(C),
    path: 'metadata.name',
    at: 'name: a-pod-name',
    fix: 'Shorten the namespace or the name',
  },
  {
    rule: 'LNT-PORT-001',
    trips: pod(containers(ctr('ports:\n  - containerPort: 80\n    hostPort: 8080'))),
    clean: pod(containers(ctr('ports:\n  - containerPort: 80'))),
    path: 'spec.containers[0].ports[0].hostPort',
    at: 'hostPort: 8080',
    fix: 'Remove hostPort',
  },
  {
    rule: 'LNT-SCH-007',
    trips: pod(
      `topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: DoNotSchedule\n${C}`,
    ),
    clean: pod(
      `topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n${C}`,
    ),
    path: 'spec.topologySpreadConstraints[0].topologyKey',
    at: 'topologyKey: kubernetes.io/hostname',
    fix: 'topology.kubernetes.io/zone',
    severity: 'info',
  },
  {
    rule: 'LNT-SCH-008',
    trips: pod(`${C}\nephemeralContainers:\n  - name: debug\n    image: busybox`),
    clean: pod(C),
    path: 'spec.ephemeralContainers',
    at: 'ephemeralContainers:',
    fix: 'kubectl debug --copy-to',
    severity: 'info',
  },
  {
    rule: 'LNT-RP-001',
    trips: pod(`restartPolicy: Never\n${C}`),
    clean: pod(`restartPolicy: Always\n${C}`),
    path: 'spec.restartPolicy',
    at: 'restartPolicy: Never',
    fix: 'report its result itself',
    severity: 'info',
  },
  {
    rule: 'LNT-ENV-003',
    trips: pod(containers(ctr('env:\n  - name: EMPTY\n    value: ""'))),
    clean: pod(containers(ctr('env:\n  - name: SET\n    value: "1"'))),
    path: 'spec.containers[0].env[0].value',
    at: 'value: ""',
    fix: 'treat unset like empty',
    severity: 'info',
  },
  {
    rule: 'LNT-VOL-009',
    trips: pod(volumes('  - name: cache\n    emptyDir:\n      medium: Memory')),
    clean: pod(volumes('  - name: cache\n    emptyDir: {}')),
    path: 'spec.volumes[0].emptyDir.medium',
    at: 'medium: Memory',
    fix: 'tmpfs',
    severity: 'info',
  },
  {
    rule: 'LNT-VOL-010',
    trips: pod(volumes('  - name: src\n    gitRepo:\n      repository: https://example.com/r.git')),
    clean: pod(volumes('  - name: src\n    emptyDir: {}')),
    path: 'spec.volumes[0].gitRepo',
    at: 'gitRepo:',
    fix: 'Clone in an init step',
    severity: 'info',
  },
  {
    rule: 'LNT-IMG-003',
    trips: pod(C),
    clean: pod(
      'containers:\n  - name: app\n    image: mcr.microsoft.com/azurelinux/base/nginx:1\n    resources: { requests: { cpu: 100m, memory: 128Mi } }',
    ),
    path: 'spec.containers[0].image',
    at: 'image: nginx',
    fix: 'az acr import',
    severity: 'info',
  },
  {
    rule: 'LNT-IMG-004',
    trips: pod(containers(ctr('imagePullPolicy: Always'))),
    clean: pod(C),
    path: 'spec.containers[0].imagePullPolicy',
    at: 'imagePullPolicy: Always',
    fix: 'immutable tags or digests',
    severity: 'info',
  },
];

const WEB = workload('Deployment', C, { name: 'web' });
const OBJECT_CASES: Case[] = [
  {
    rule: 'LNT-SVC-001',
    trips: `${WEB}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    app: w\n`,
    clean: `${WEB}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n  selector:\n    app: w\n`,
    path: 'spec.externalTrafficPolicy',
    at: 'externalTrafficPolicy: Local',
    fix: 'externalTrafficPolicy: Cluster',
  },
  {
    rule: 'LNT-NP-001',
    trips: `${WEB}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector:\n    matchLabels:\n      app: w\n`,
    clean: `${WEB}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector:\n    matchLabels:\n      app: other\n`,
    path: 'spec.podSelector',
    at: 'podSelector:',
    fix: 'NSG rules',
  },
  {
    rule: 'LNT-HPA-001',
    trips: `${WEB}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  metrics:\n    - type: Resource\n      resource: { name: cpu }\n`,
    clean: `${WEB}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  metrics:\n    - type: External\n      external: { metric: { name: queue } }\n`,
    path: 'spec.metrics[0]',
    at: 'type: Resource',
    fix: 'KEDA',
  },
];

OBJECT_CASES.push(
  {
    rule: 'LNT-ID-001',
    trips: `${workload('Deployment', `serviceAccountName: app\n${C}`, { name: 'web' })}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: default\n  annotations:\n    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001\n`,
    clean: `${workload('Deployment', `serviceAccountName: other\n${C}`, { name: 'web' })}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: default\n  annotations:\n    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001\n`,
    path: 'metadata.annotations["azure.workload.identity/client-id"]',
    at: 'azure.workload.identity/client-id',
    fix: '--stack v2',
  },
  {
    rule: 'LNT-MESH-001',
    trips: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    istio-injection: enabled\n---\n${WEB}`,
    clean: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    istio-injection: disabled\n---\n${WEB}`,
    path: 'metadata.labels.istio-injection',
    at: 'istio-injection: enabled',
    fix: 'sidecar.istio.io/inject: "false"',
  },
);

describe('lint rules', () => {
  it('every rule in the registry has a case here', () => {
    const covered = new Set([...CASES, ...OBJECT_CASES].map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each([...CASES, ...OBJECT_CASES].map((c) => [`${c.rule} ${c.path}${c.stack ? ` (${c.stack})` : ''}`, c] as const))(
    '%s',
    (_name, c) => {
      const options = { info: true, ...(c.stack ? { stack: c.stack } : {}) };
      const tripped = lintText(c.trips, options);
      expect(tripped.problems).toEqual([]);
      const found = tripped.findings.filter((f) => f.rule === c.rule);
      const f = found.find((x) => x.path === c.path);
      expect(f, `${c.rule} at ${c.path}; got ${found.map((x) => x.path).join(', ') || 'nothing'}`).toBeDefined();
      const [marker, n] = typeof c.at === 'string' ? [c.at, 1] : c.at;
      expect({ line: f!.line, col: f!.col }).toEqual(positionOf(c.trips, marker, n));
      expect(f!.fix).toContain(c.fix);
      if (c.severity) expect(f!.severity).toBe(c.severity);
      const clean = lintText(c.clean, options);
      expect(clean.problems).toEqual([]);
      expect(clean.findings.filter((x) => x.rule === c.rule)).toEqual([]);
    },
  );
});
