// The one Kubernetes write doctor --fix makes: restarting the connector after its identity got its role (the
// connector checks its rights only when it starts, and a crash-looping one may be minutes into its back-off).
// Deleting its pods is what `kubectl rollout restart` achieves: the Deployment brings new ones.
import type { RecordedRequest } from '../azure/record.js';
import type { KubeAccess } from './connect.js';
import { kubeCall } from './errors.js';

/** Deletes the aci-connector-linux pods (or, dry, says which it would delete). */
export async function restartConnector(access: KubeAccess, dryRun: boolean): Promise<RecordedRequest[]> {
  access.calls.kubernetes++;
  const pods = await kubeCall('listing the aci-connector-linux pods', () =>
    access.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app=aci-connector-linux' }),
  );
  const requests: RecordedRequest[] = [];
  for (const pod of pods.items) {
    const name = pod.metadata?.name ?? '';
    requests.push({
      method: 'DELETE',
      url: `${access.server}/api/v1/namespaces/kube-system/pods/${name}`,
      headers: {},
      body: undefined,
    });
    if (dryRun) continue;
    access.calls.kubernetes++;
    await kubeCall(`deleting connector pod ${name}`, () =>
      access.core.deleteNamespacedPod({ namespace: 'kube-system', name }),
    );
  }
  return requests;
}
