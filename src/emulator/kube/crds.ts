// The apiextensions controller of the emulated API server: a CustomResourceDefinition that is created or updated
// gets its types served and its status set Established (names accepted); one that is deleted takes its custom
// resources with it, as the apiextensions-apiserver's finalizer does.
import { rfc3339 } from './kinds.js';
import type { KubeObject } from './resources.js';
import type { KubeStore } from './store.js';
import { CRD_TYPE, crdStatus } from './type-registry.js';

/** Starts following CRDs; returns the function that stops it. */
export function startCrdController(store: KubeStore): () => void {
  const established = (crd: KubeObject): boolean => JSON.stringify(crd.status ?? {}).includes('"Established"');
  const stops = [
    ...(['created', 'updated'] as const).map((event) =>
      store.on(CRD_TYPE, event, (crd) => {
        store.types.define(crd);
        if (!established(crd))
          store.update(CRD_TYPE, { ...crd, status: crdStatus(crd, rfc3339(new Date())) }, { subresource: 'status' });
      }),
    ),
    store.on(CRD_TYPE, 'deleted', (crd) => {
      for (const t of store.types.remove(crd.metadata.name ?? '')) {
        for (const o of store.list(t).items)
          store.delete(t, o.metadata.namespace, o.metadata.name ?? '', { gracePeriodSeconds: 0 });
      }
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
