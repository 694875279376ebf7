import { describe, expect, it } from 'vitest';
import { parseProbeLog } from '../../src/provider/probe-results.js';
import { PROBE_LABEL, PROBE_SCRIPT, probePod, probePodName } from '../../src/provider/probe-spec.js';

const input = {
  name: 'vnodes-probe-ab12',
  namespace: 'default',
  nodeName: 'virtual-node-aci-linux',
  image: 'mcr.microsoft.com/cbl-mariner/busybox:2.0',
  registry: 'myacr.azurecr.io',
  runId: 'ab12',
};

describe('probePod', () => {
  const pod = probePod(input);
  const c = pod.spec!.containers[0]!;
  it('requests 0.5 CPU / 0.5Gi with limits = requests', () => {
    expect(c.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });
  it('lands on the virtual node: its hostname and type labels, its taint tolerated', () => {
    expect(pod.spec!.nodeSelector).toEqual({
      'kubernetes.io/hostname': 'virtual-node-aci-linux',
      type: 'virtual-kubelet',
    });
    expect(pod.spec!.tolerations).toEqual([
      { key: 'virtual-kubelet.io/provider', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });
  it('runs once, with command and args (ACI knows no image entrypoint), and carries the probe label', () => {
    expect(pod.spec!.restartPolicy).toBe('Never');
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args).toEqual([PROBE_SCRIPT]);
    expect(pod.metadata!.labels![PROBE_LABEL]).toBe('ab12');
    expect(c.env).toEqual([{ name: 'VNODES_PROBE_REGISTRY', value: 'myacr.azurecr.io' }]);
  });
  it('prints one line per step', () => {
    for (const step of ['dns', 'apiserver', 'registry', 'done']) expect(PROBE_SCRIPT).toContain(step);
  });
  it('names are unique per run and valid', () => {
    expect(probePodName('ab12')).toBe('vnodes-probe-ab12');
    expect(probePodName('x'.repeat(80)).length).toBe(63);
  });
});

describe('parseProbeLog', () => {
  const cases: { name: string; log: string; want: [boolean, string][]; done: boolean }[] = [
    {
      name: 'all pass',
      log: 'vnodes-probe start h\nvnodes-probe dns ok 10.0.0.1\nvnodes-probe apiserver ok 401\nvnodes-probe registry ok 401\nvnodes-probe done\n',
      want: [
        [true, '10.0.0.1'],
        [true, '401'],
        [true, '401'],
      ],
      done: true,
    },
    {
      name: 'failures with evidence, timestamps and other lines tolerated',
      log: '2026-12-01T00:00:00.000Z vnodes-probe dns fail no-answer\nwget: bad address\nvnodes-probe apiserver fail unreachable\nvnodes-probe registry fail 404\nvnodes-probe done',
      want: [
        [false, 'no-answer'],
        [false, 'unreachable'],
        [false, '404'],
      ],
      done: true,
    },
    {
      name: 'a log that ends early',
      log: 'vnodes-probe dns ok 10.0.0.1\n',
      want: [
        [true, '10.0.0.1'],
        [false, 'no result (the log ends early)'],
        [false, 'no result (the log ends early)'],
      ],
      done: false,
    },
    {
      name: 'an unknown verdict or step is ignored; the last line of a step wins',
      log: 'vnodes-probe dns maybe\nvnodes-probe bogus ok\nvnodes-probe dns fail x\nvnodes-probe dns ok 10.0.0.1\nvnodes-probe done',
      want: [
        [true, '10.0.0.1'],
        [false, 'no result'],
        [false, 'no result'],
      ],
      done: true,
    },
    {
      name: 'empty',
      log: '',
      want: [
        [false, 'no result (the log ends early)'],
        [false, 'no result (the log ends early)'],
        [false, 'no result (the log ends early)'],
      ],
      done: false,
    },
  ];
  it.each(cases)('$name', ({ log, want, done }) => {
    const r = parseProbeLog(log);
    expect(r.done).toBe(done);
    expect(r.steps.map((s) => s.step)).toEqual(['dns', 'apiserver', 'registry']);
    expect(r.steps.map((s) => [s.ok, s.evidence])).toEqual(want);
  });
});
