// The ServiceAccount admission plugin as pods meet it on create, the way the real apiserver runs it (it is on by
// default; kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount, and
// plugin/pkg/admission/serviceaccount/admission.go): a pod without `spec.serviceAccountName` gets `default`; the
// named ServiceAccount must exist, else the create is 403 Forbidden `pods "NAME" is forbidden: error looking up
// service account NS/SA: serviceaccount "SA" not found` (the plugin retries only for `default`, which the
// ServiceAccount controller is about to create: here the controller creates it with the namespace, so no wait);
// and a pod with no `imagePullSecrets` gets the ServiceAccount's. Mirror pods (static pods a kubelet posts) are
// left alone. Not emulated: the projected `kube-api-access-*` token volume the plugin also mounts, which nothing
// here reads and which would make every pod's spec differ from what scenarios and tests wrote.
import { forbidden, notFound } from './errors.js';
import type { KubeObject } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Kubelets mark the pods they mirror from static manifests with this annotation. */
const MIRROR_POD = 'kubernetes.io/config.mirror';

/** Admits a pod being created through the API: defaults and checks its ServiceAccount; may throw 403. */
export function admitPod(pod: KubeObject, serviceAccount: (namespace: string, name: string) => KubeObject | undefined) {
  if (pod.metadata.annotations?.[MIRROR_POD] !== undefined) return;
  const spec = obj(pod.spec);
  const namespace = pod.metadata.namespace ?? 'default';
  const name =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : 'default';
  const sa = serviceAccount(namespace, name);
  if (sa === undefined) {
    const cause = notFound('serviceaccount', '', name).message;
    throw forbidden(
      'pods',
      '',
      pod.metadata.name ?? '',
      `error looking up service account ${namespace}/${name}: ${cause}`,
    );
  }
  const own = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
  const inherited = (Array.isArray(sa.imagePullSecrets) ? sa.imagePullSecrets : []).map((s) => ({
    name: String(obj(s).name ?? ''),
  }));
  pod.spec = {
    ...spec,
    serviceAccountName: name,
    serviceAccount: name,
    ...(own.length === 0 && inherited.length > 0 ? { imagePullSecrets: inherited } : {}),
  };
}
