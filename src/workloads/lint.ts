// The entry points: lint one pod spec, one workload object, or one Service/NetworkPolicy/HPA. Pure: no I/O.
import { obj, podTemplateOf, strings, targetingOf, WORKLOAD_KINDS } from './pod.js';
import { OBJECT_RULES, POD_RULES } from './registry.js';
import type {
  Finding,
  Obj,
  ObjectRef,
  RelatedCheck,
  RuleInfo,
  PathSegment,
  PodRule,
  RuleContext,
  Severity,
  Stack,
  Targeting,
  TargetedWorkload,
} from './types.js';

/** The annotation that silences rules on an object or its pod template: `LNT-VOL-001,LNT-ENV-001 # reason`. */
export const IGNORE_ANNOTATION = 'vnodes.io/lint-ignore';

/** Options shared by the entry points. */
export interface LintOptions {
  /** Default v1 (the AKS add-on). */
  stack?: Stack;
  /** Lint workloads that do not target the virtual node as if they did. */
  all?: boolean;
  /** Rule ids not to report (counted as ignored). */
  skip?: readonly string[];
  /** Run the `info` rules too (off by default: they describe differences that rarely break a workload). */
  info?: boolean;
}

/** The outcome for one object: what it is, whether it was in scope, what was found and what was silenced. */
export interface ObjectLint {
  ref: ObjectRef;
  targeting: Targeting;
  /** False when the object does not target the virtual node (and --all was not given): no rule ran. */
  inScope: boolean;
  findings: Finding[];
  /** Findings silenced by the annotation or --skip, counted in the summary. */
  ignored: (Finding & { by: 'annotation' | 'skip'; reason?: string })[];
  /** For the object rules: the pod labels of a workload in scope. */
  workload?: TargetedWorkload;
}

/** kind/namespace/name of an object. */
function refOf(o: Obj): ObjectRef {
  const meta = obj(o.metadata);
  const kind = String(o.kind ?? '');
  return {
    kind,
    // Namespaces are cluster-scoped: no namespace of their own.
    namespace: kind === 'Namespace' ? '' : String(meta.namespace ?? '') || 'default',
    name: String(meta.name ?? meta.generateName ?? ''),
  };
}

/** Rule ids named by the ignore annotation of a metadata block, with the reason after `#`. */
export function ignoresOf(meta: Obj): { ids: Set<string>; reason?: string } {
  const value = obj(obj(meta).annotations)[IGNORE_ANNOTATION];
  if (typeof value !== 'string' || !value) return { ids: new Set() };
  const [list = '', ...rest] = value.split('#');
  const reason = rest.join('#').trim();
  return {
    ids: new Set(
      list
        .split(/[,\s]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
    ...(reason ? { reason } : {}),
  };
}

/** A pod rule that runs for a stack, with its severity there: all of one shape, so the loop over them stays fast. */
interface ActiveRule {
  id: string;
  severity: Severity;
  rule: PodRule;
}

const activeRules = new Map<string, readonly ActiveRule[]>();

/** The pod rules that run for a stack (with or without the info rules), worked out once rather than per object. */
function rulesFor(stack: Stack, info: boolean): readonly ActiveRule[] {
  const key = `${stack}:${info}`;
  let rules = activeRules.get(key);
  if (!rules) {
    rules = POD_RULES.flatMap((rule) => {
      const severity = rule.severity[stack];
      return !severity || (severity === 'info' && !info) ? [] : [{ id: rule.id, severity, rule }];
    });
    activeRules.set(key, rules);
  }
  return rules;
}

function runPodRules(spec: Obj, ctx: RuleContext, info: boolean): Finding[] {
  const out: Finding[] = [];
  const rules = rulesFor(ctx.stack, info);
  for (let r = 0; r < rules.length; r++) {
    const { id, severity, rule } = rules[r]!;
    const hits = rule.check(spec, ctx);
    for (let i = 0; i < hits.length; i++) {
      const h = hits[i]!;
      out.push({ rule: id, severity: h.severity ?? severity, path: h.path, message: h.message, fix: h.fix });
    }
  }
  return out;
}

/**
 * Every finding for one pod spec, with paths relative to the spec (`containers[0].args`), at full severity, with no
 * scope test and no ignores. For callers that already know the pod runs on the virtual node (provider translate,
 * doctor).
 */
export function lintPodSpec(
  spec: Obj,
  options: {
    ownerKind?: string;
    stack?: Stack;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    namespace?: string;
    info?: boolean;
  } = {},
): Finding[] {
  return runPodRules(
    spec,
    {
      stack: options.stack ?? 'v1',
      ownerKind: options.ownerKind ?? 'Pod',
      object: {},
      specPath: [],
      metaPath: ['metadata'],
      podLabels: options.labels ?? {},
      podAnnotations: options.annotations ?? {},
      namespace: options.namespace ?? 'default',
      targeting: 'targets',
    },
    Boolean(options.info),
  );
}

let lastSkip: { skip: readonly string[] | undefined; set: ReadonlySet<string> } | undefined;

/** The --skip ids of the options as a set, made once for the options of a run rather than per object. */
function skipSet(options: LintOptions): ReadonlySet<string> {
  if (!lastSkip || lastSkip.skip !== options.skip)
    lastSkip = { skip: options.skip, set: new Set((options.skip ?? []).map((s) => s.toUpperCase())) };
  return lastSkip.set;
}

/** Splits findings into reported and ignored by the object's and template's annotations and --skip. */
function applyIgnores(
  findings: Finding[],
  metas: Obj[],
  skip: ReadonlySet<string>,
): Pick<ObjectLint, 'findings' | 'ignored'> {
  // For every object of a run: most have no ignore annotation, and most runs no --skip.
  if (!skip.size && !metas.some((m) => IGNORE_ANNOTATION in obj(m.annotations))) return { findings, ignored: [] };
  const ignores = metas.map(ignoresOf);
  const result: Pick<ObjectLint, 'findings' | 'ignored'> = { findings: [], ignored: [] };
  for (const f of findings) {
    const by = ignores.find((i) => i.ids.has(f.rule));
    if (by) result.ignored.push({ ...f, by: 'annotation', ...(by.reason ? { reason: by.reason } : {}) });
    else if (skip.has(f.rule)) result.ignored.push({ ...f, by: 'skip' });
    else result.findings.push(f);
  }
  return result;
}

/**
 * Lints one workload object (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob); undefined for other
 * kinds. Only pod templates that target the virtual node are linted unless `all`; a template that only tolerates
 * the taint ("may burst there") gets `warn` instead of `fail`. Paths start at the object's root.
 */
export function lintObject(o: Obj, options: LintOptions = {}): ObjectLint | undefined {
  const template = podTemplateOf(o);
  if (!template) return undefined;
  const stack = options.stack ?? 'v1';
  const ref = refOf(o);
  const targeting = targetingOf(template.spec);
  const inScope = targeting !== 'none' || Boolean(options.all);
  if (!inScope) return { ref, targeting, inScope, findings: [], ignored: [] };
  const podLabels = strings(template.meta.labels);
  const ctx: RuleContext = {
    stack,
    ownerKind: ref.kind,
    object: o,
    specPath: template.specPath,
    metaPath: template.metaPath,
    podLabels,
    podAnnotations: strings(template.meta.annotations),
    namespace: ref.namespace,
    targeting,
  };
  const soften = targeting === 'may' && !options.all;
  const found = runPodRules(template.spec, ctx, Boolean(options.info));
  const raw = soften ? found.map((f) => (f.severity === 'fail' ? { ...f, severity: 'warn' as const } : f)) : found;
  const metas = template.metaPath.length > 1 ? [obj(o.metadata), template.meta] : [template.meta];
  return {
    ref,
    targeting,
    inScope,
    ...applyIgnores(raw, metas, skipSet(options)),
    workload: {
      ref,
      labels: podLabels,
      serviceAccount: String(template.spec.serviceAccountName ?? template.spec.serviceAccount ?? '') || 'default',
    },
  };
}

/** Every check over other objects: the object rules, and the related parts of pod rules. */
const RELATED: readonly { rule: RuleInfo; related: RelatedCheck }[] = [
  ...POD_RULES.filter((r) => r.related).map((r) => ({ rule: r, related: r.related! })),
  ...OBJECT_RULES.map((r) => ({ rule: r, related: r })),
];

/** Kinds the object rules (and related checks) read. */
export const RELATED_KINDS: readonly string[] = [...new Set(RELATED.flatMap((r) => r.related.kinds))];

/**
 * Lints a Service, NetworkPolicy, HPA, ServiceAccount or Namespace against the workloads in scope seen in the same run;
 * undefined for other kinds.
 */
export function lintRelatedObject(
  o: Obj,
  workloads: readonly TargetedWorkload[],
  options: LintOptions = {},
): ObjectLint | undefined {
  const kind = String(o.kind ?? '');
  if (!RELATED_KINDS.includes(kind)) return undefined;
  const stack = options.stack ?? 'v1';
  const raw: Finding[] = [];
  for (const { rule, related } of RELATED) {
    const severity = rule.severity[stack];
    if (!severity || !related.kinds.includes(kind) || (severity === 'info' && !options.info)) continue;
    for (const h of related.check(o, workloads))
      raw.push({ rule: rule.id, severity: h.severity ?? severity, path: h.path, message: h.message, fix: h.fix });
  }
  return {
    ref: refOf(o),
    targeting: raw.length ? 'targets' : 'none',
    inScope: true,
    ...applyIgnores(raw, [obj(o.metadata)], skipSet(options)),
  };
}

/** True for the kinds `lintObject` reads. */
export const isWorkloadKind = (kind: unknown): boolean => WORKLOAD_KINDS.includes(String(kind));

/** `spec.template.spec.containers[0].args`, `metadata.labels["azure.workload.identity/use"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** RFC 6901 JSON pointer of a path (`/spec/template/spec/containers/0/args`). */
export function jsonPointer(path: readonly PathSegment[]): string {
  // Once per finding of a run: escape only the rare segment that needs it.
  let out = '';
  for (const seg of path) {
    const s = String(seg);
    out += '/' + (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);
  }
  return out;
}
