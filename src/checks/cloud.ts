import { defineCheck, type AnyCheck } from './engine.js';

// AKS does not offer the virtual-node add-on in every cloud; finding that out at the PUT would be late.
const virtualNodes = defineCheck({
  id: 'cloud.virtual-nodes',
  title: 'The cloud offers virtual nodes',
  area: 'cloud',
  tags: ['cloud', 'preflight'],
  facts: ['cloud'],
  run({ cloud }) {
    const evidence = [{ field: '--cloud', value: cloud.name }];
    if (cloud.virtualNodesUnsupported !== true)
      return { status: 'pass', summary: `Virtual nodes are offered in ${cloud.name}.`, evidence };
    return {
      status: 'fail',
      summary: `AKS virtual nodes (the ACI connector) are not offered in ${cloud.name}.`,
      evidence,
      remediation:
        'Run ACI workloads directly (az container create), or use a cluster in a cloud that offers virtual nodes.',
    };
  },
});

/** Checks on the cloud vnodes talks to. */
export const cloudChecks: AnyCheck[] = [virtualNodes];
