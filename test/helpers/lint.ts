// Manifests and lint runs for the workload rule tests: a pod that targets the virtual node, and where a field is.
import { LintSession, type LocatedFinding } from '../../src/workloads/session.js';
import type { LintOptions } from '../../src/workloads/lint.js';

/** Indents every line of a block by n spaces. */
const indent = (text: string, n: number) =>
  text
    .replace(/^\n/, '')
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** The scheduling of a pod that targets the virtual node (selector and toleration). */
export const TARGET = `nodeSelector:
  type: virtual-kubelet
tolerations:
  - key: virtual-kubelet.io/provider
    operator: Exists`;

/** A container with requests, plus extra lines (at the container's indentation). */
export const ctr = (extra = '', name = 'app') =>
  `- name: ${name}
  image: nginx:1.27
  resources:
    requests:
      cpu: 100m
      memory: 128Mi
${indent(extra, 2)}`;

/** A Pod manifest; `spec` is written at column 0 and placed under spec:. Targets the virtual node unless told not to. */
export function pod(
  spec: string,
  o: { target?: boolean; meta?: string; name?: string; namespace?: string } = {},
): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${o.name ?? 'p'}
  namespace: ${o.namespace ?? 'default'}
${o.meta ? indent(o.meta, 2) + '\n' : ''}spec:
${o.target === false ? '' : indent(TARGET, 2) + '\n'}${indent(spec, 2)}
`;
}

/** A workload (Deployment, StatefulSet, DaemonSet, Job) whose pod template has this spec and metadata. */
export function workload(
  kind: string,
  spec: string,
  o: { target?: boolean; podMeta?: string; meta?: string; extraSpec?: string; name?: string } = {},
): string {
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${o.name ?? 'w'}
  namespace: default
${o.meta ? indent(o.meta, 2) + '\n' : ''}spec:
  selector:
    matchLabels:
      app: w
${o.extraSpec ? indent(o.extraSpec, 2) + '\n' : ''}  template:
    metadata:
      labels:
        app: w
${o.podMeta ? indent(o.podMeta, 6) + '\n' : ''}    spec:
${o.target === false ? '' : indent(TARGET, 6) + '\n'}${indent(spec, 6)}
`;
}

/** Every finding of a text, through the same session the command uses (stdin-like: one input). */
export function lintText(
  text: string,
  options: LintOptions = {},
  name = 'm.yaml',
): { findings: LocatedFinding[]; problems: string[]; ignored: number; session: LintSession } {
  const findings: LocatedFinding[] = [];
  const problems: string[] = [];
  let ignored = 0;
  const session = new LintSession(options, {
    findings: (batch, n) => {
      findings.push(...batch);
      ignored += n;
    },
    problem: (p) => problems.push(`${p.file}:${p.line}:${p.col} ${p.message}`),
  });
  session.addText(name, text);
  session.finish();
  return { findings, problems, ignored, session };
}

/** 1-based line and column of the n-th occurrence (1-based) of `marker` in text. */
export function positionOf(text: string, marker: string, occurrence = 1): { line: number; col: number } {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`marker ${JSON.stringify(marker)} #${occurrence} not in the manifest`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, col: at - before.lastIndexOf('\n') };
}
