// `provider translate`: every Pod or workload in a YAML/JSON file, translated offline with the provider's function.
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.js';
import { formatPath, lintObject } from '../workloads/index.js';
import { redactBody } from './redact.js';
import { podOf, translatePod, type Finding, type ObjectRef } from './translate.js';

/** Options of `provider translate`. */
export interface TranslateFileOptions {
  /** Display name of the input ('-' for stdin). */
  file: string;
  text: string;
  region: string;
  nodeName: string;
  subnetId?: string;
  dnsServiceIp?: string;
}

/** One translated object. */
export interface TranslatedItem {
  kind: string;
  namespace: string;
  name: string;
  containerGroup: { name: string; body: ContainerGroup };
  warnings: Finding[];
  rejections: Finding[];
  /** ConfigMaps and Secrets the provider would read through the API server. */
  needs: ObjectRef[];
  /** What `vnodes lint` says of the same object for the add-on's connector (src/workloads, one source of truth). */
  lint: { rule: string; severity: string; path: string; message: string; fix: string }[];
}

/** The result: `rejected` when any object would be refused (exit 1). */
export interface TranslateFileResult {
  file: string;
  items: TranslatedItem[];
  skipped: { kind: string; name: string }[];
  rejected: boolean;
}

/** Parses and translates; bad YAML or a file with nothing to translate is a usage error (exit 2). */
export function translateFile(options: TranslateFileOptions): TranslateFileResult {
  const docs = parseAllDocuments(options.text);
  const items: TranslatedItem[] = [];
  const skipped: TranslateFileResult['skipped'] = [];
  for (const doc of docs) {
    if (doc.errors.length)
      throw new UsageError(
        `${options.file} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`,
        'Fix the file (kubectl apply --dry-run=client -f FILE shows the same).',
      );
    const object = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
    if (object === null || object === undefined) continue;
    const objects = object.kind === 'List' ? ((object as { items?: unknown[] }).items ?? []) : [object];
    for (const o of objects as (typeof object)[]) {
      const pod = podOf(o);
      if (pod === undefined) {
        skipped.push({ kind: String(o?.kind ?? 'unknown'), name: String(o?.metadata?.name ?? '') });
        continue;
      }
      if (!Array.isArray(pod.spec?.containers))
        throw new UsageError(
          `${o?.kind} ${o?.metadata?.name ?? ''} in ${options.file} has no spec.containers list.`,
          'Give it at least one container.',
        );
      // Field paths as they are in the file: a workload's pod fields live under its template.
      const prefix =
        o?.kind === 'Pod' ? '' : o?.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.' : 'spec.template.';
      const inObject = (f: Finding): Finding => ({ ...f, path: `${prefix}${f.path}` });
      const t = translatePod(pod, {
        region: options.region,
        nodeName: options.nodeName,
        ...(options.subnetId ? { subnetId: options.subnetId } : {}),
        ...(options.dnsServiceIp ? { dnsServiceIp: options.dnsServiceIp } : {}),
      });
      items.push({
        kind: String(o!.kind),
        namespace: pod.metadata?.namespace ?? 'default',
        name: pod.metadata?.name ?? '',
        containerGroup: { name: t.name, body: redactBody(t.body) },
        warnings: t.warnings.map(inObject),
        rejections: t.rejections.map(inObject),
        needs: t.needs,
        lint: (lintObject(o as Record<string, unknown>, { all: true })?.findings ?? []).map((f) => ({
          rule: f.rule,
          severity: f.severity,
          path: formatPath(f.path),
          message: f.message,
          fix: f.fix,
        })),
      });
    }
  }
  if (items.length === 0)
    throw new UsageError(
      `${options.file} holds no Pod or workload with a pod template.`,
      'Pass a Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob or ReplicaSet manifest.',
    );
  return { file: options.file, items, skipped, rejected: items.some((i) => i.rejections.length > 0) };
}
