// Scenario Kubernetes objects reach each cluster's API server: the flat list for the first cluster, or per cluster.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vnodes-scenario-kube-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { a: '1' },
});

describe('scenario kubernetes objects', () => {
  it('loads a flat list into the first cluster, with AKS agent nodes when the scenario lists none', async () => {
    const file = join(dir, 'flat.yaml');
    await writeFile(file, `extends: healthy\nkubernetes:\n  - ${JSON.stringify(configMap('flat'))}\n`);
    const emu = await startEmulator({ scenario: file });
    try {
      const api = await emu.kube();
      expect(api.store.get('configmaps', 'default', 'flat')?.data).toEqual({ a: '1' });
      expect(api.store.list('nodes').items).toHaveLength(3);
    } finally {
      await emu.close();
    }
  });

  it('loads objects by cluster name, and the scenario nodes replace the generated ones', async () => {
    const file = join(dir, 'by-cluster.yaml');
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'only-node' } };
    await writeFile(
      file,
      `extends: healthy\nkubernetes:\n  AKS-DEMO:\n    - ${JSON.stringify(configMap('named'))}\n    - ${JSON.stringify(node)}\n`,
    );
    const emu = await startEmulator({ scenario: file });
    try {
      const api = await emu.kube('aks-demo');
      expect(api.store.get('configmaps', 'default', 'named')).toBeDefined();
      expect(api.store.list('nodes').items.map((n) => n.metadata.name)).toEqual(['only-node']);
      await expect(emu.kube('nope')).rejects.toThrow('No managed cluster named nope');
    } finally {
      await emu.close();
    }
  });
});
