// CustomResourceDefinitions on the emulated API server, driven by the real kubectl and the real client: a CRD that is
// applied is Established, its group appears in discovery, its custom resources are served (apply, get, list, watch,
// delete), and deleting the CRD stops serving them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApi } from '../../src/emulator/kube/index.js';
import { start } from '../helpers/kube-api.js';
import { hasKubectl, KUBECTL, kubectlIn } from '../helpers/kubectl.js';

if (!hasKubectl) console.warn(`kube-crds kubectl tests skipped: ${KUBECTL} is not installed`);

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: k8srequiredlabels.constraints.gatekeeper.sh
spec:
  group: constraints.gatekeeper.sh
  scope: Cluster
  names: {kind: K8sRequiredLabels, plural: k8srequiredlabels, singular: k8srequiredlabels, categories: [constraint]}
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: must-have-owner
spec:
  enforcementAction: deny
  match:
    kinds: [{apiGroups: [""], kinds: [Pod]}]
    excludedNamespaces: [kube-system]
  parameters: {labels: [{key: owner}]}
`;

let api: KubeApi;
let dir: string;
const kubectl = kubectlIn(() => dir);

describe.skipIf(!hasKubectl)('CustomResourceDefinitions through kubectl', () => {
  beforeAll(async () => {
    ({ api } = await start());
    dir = await mkdtemp(join(tmpdir(), 'vnodes-crd-'));
    await writeFile(join(dir, 'config'), api.kubeconfig(), { mode: 0o600 });
    await writeFile(join(dir, 'crd.yaml'), CRD);
    await writeFile(join(dir, 'constraint.yaml'), CONSTRAINT);
  });
  afterAll(async () => {
    await api?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('applies a CRD, then a custom resource of it; discovery, get, patch and delete work', async () => {
    const before = await kubectl('get', 'k8srequiredlabels');
    expect(before.code).not.toBe(0);
    expect(before.stderr).toMatch(/the server doesn't have a resource type "k8srequiredlabels"/);

    const crd = await kubectl('apply', '-f', join(dir, 'crd.yaml'));
    expect(crd.stderr).toBe('');
    expect(crd.stdout).toMatch(
      /customresourcedefinition.apiextensions.k8s.io\/k8srequiredlabels.constraints.gatekeeper.sh created/,
    );
    const established = await kubectl(
      'get',
      'crd',
      'k8srequiredlabels.constraints.gatekeeper.sh',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    );
    expect(established.stdout).toBe('True');

    const versions = await kubectl('api-versions');
    expect(versions.stdout.split('\n')).toContain('constraints.gatekeeper.sh/v1beta1');
    const resources = await kubectl('api-resources', '--api-group', 'constraints.gatekeeper.sh', '-o', 'name');
    expect(resources.stdout.trim()).toBe('k8srequiredlabels.constraints.gatekeeper.sh');

    const cr = await kubectl('apply', '-f', join(dir, 'constraint.yaml'));
    expect(cr.stderr).toBe('');
    expect(cr.stdout).toMatch(/k8srequiredlabels.constraints.gatekeeper.sh\/must-have-owner created/);
    const again = await kubectl('apply', '-f', join(dir, 'constraint.yaml'));
    expect(again.stdout).toMatch(/must-have-owner unchanged/);
    const action = await kubectl(
      'get',
      'k8srequiredlabels',
      'must-have-owner',
      '-o',
      'jsonpath={.spec.match.excludedNamespaces}',
    );
    expect(action.stdout).toBe('["kube-system"]');

    const patched = await kubectl(
      'patch',
      'k8srequiredlabels',
      'must-have-owner',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/match/excludedNamespaces/-","value":"vn-system"}]',
    );
    expect(patched.code).toBe(0);
    expect(
      api.store.get('constraints.gatekeeper.sh/v1beta1/k8srequiredlabels', undefined, 'must-have-owner')?.spec,
    ).toMatchObject({
      match: { excludedNamespaces: ['kube-system', 'vn-system'] },
    });

    const gone = await kubectl('delete', 'crd', 'k8srequiredlabels.constraints.gatekeeper.sh');
    expect(gone.code).toBe(0);
    const after = await kubectl('get', 'k8srequiredlabels');
    expect(after.code).not.toBe(0);
  });

  it('serves custom resources to @kubernetes/client-node: create, list, get, watch, delete', async () => {
    const k8s = await import('@kubernetes/client-node');
    const config = new k8s.KubeConfig();
    config.loadFromString(api.kubeconfig());
    const ext = config.makeApiClient(k8s.ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'clusterpolicies.kyverno.io' },
        spec: {
          group: 'kyverno.io',
          scope: 'Cluster',
          names: { kind: 'ClusterPolicy', plural: 'clusterpolicies', singular: 'clusterpolicy', shortNames: ['cpol'] },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
        },
      },
    });
    const custom = config.makeApiClient(k8s.CustomObjectsApi);
    const seen: string[] = [];
    const watch = new k8s.Watch(config);
    const req = await watch.watch(
      '/apis/kyverno.io/v1/clusterpolicies',
      {},
      (type, o: { metadata: { name: string } }) => seen.push(`${type} ${o.metadata.name}`),
      () => {},
    );
    const body = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'require-labels' },
      spec: { validationFailureAction: 'Enforce' },
    };
    await custom.createClusterCustomObject({ group: 'kyverno.io', version: 'v1', plural: 'clusterpolicies', body });
    const list = (await custom.listClusterCustomObject({
      group: 'kyverno.io',
      version: 'v1',
      plural: 'clusterpolicies',
    })) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['require-labels']);
    const one = (await custom.getClusterCustomObject({
      group: 'kyverno.io',
      version: 'v1',
      plural: 'clusterpolicies',
      name: 'require-labels',
    })) as { spec: unknown };
    expect(one.spec).toEqual({ validationFailureAction: 'Enforce' });
    await custom.deleteClusterCustomObject({
      group: 'kyverno.io',
      version: 'v1',
      plural: 'clusterpolicies',
      name: 'require-labels',
    });
    await expect.poll(() => seen).toEqual(['ADDED require-labels', 'DELETED require-labels']);
    req.abort();
  });
});
