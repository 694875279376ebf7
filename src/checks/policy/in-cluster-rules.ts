// What VN-POL-002 reads out of in-cluster admission policy, as pure functions: which Gatekeeper constraints (the
// Azure Policy add-on's included: it runs Gatekeeper) and Kyverno policies deny in a namespace virtual nodes need, and
// the kubectl patch that excludes it. Gatekeeper: `spec.enforcementAction` defaults to deny; `spec.match` namespaces,
// excludedNamespaces (prefix/suffix `*` globs), kinds, scope, namespaceSelector
// (https://open-policy-agent.github.io/gatekeeper/website/docs/howto#the-match-field). Kyverno: a rule validates in
// Enforce mode when its `validate.failureAction` or the policy's `validationFailureAction` says Enforce (default
// Audit); match/exclude by `any`/`all`/`resources` (https://kyverno.io/docs/writing-policies/match-exclude/).
import type { V1LabelSelector } from '@kubernetes/client-node';
import type { AdmissionPolicyObject } from '../doctor-facts.js';
import { selects } from '../workloads/index.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Kinds whose admission decides whether virtual-node pods (and the connector) can exist. */
const WORKLOAD_KINDS = ['pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'job', '*'];

const glob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);
const listed = (patterns: string[], ns: string): boolean => patterns.some((p) => glob(p, ns));
const workloadKind = (kinds: string[]): boolean =>
  kinds.length === 0 || kinds.some((k) => WORKLOAD_KINDS.includes(k.split('/').pop()!.toLowerCase()));

/** A policy object that denies in some of the namespaces that matter. */
export interface AdmissionHit {
  object: AdmissionPolicyObject;
  /** Which engine runs it, for people: Gatekeeper, the Azure Policy add-on (Gatekeeper), Kyverno. */
  engine: string;
  namespaces: string[];
  /** The match fields that select them. */
  match: Obj;
  /** The exact fix. */
  fix: string;
}

const isAzurePolicyAddon = (o: AdmissionPolicyObject): boolean =>
  o.name.startsWith('azurepolicy-') || o.labels?.['managed-by'] === 'azure-policy-addon';

function gatekeeperDenies(spec: Obj): boolean {
  const action = String(spec.enforcementAction ?? 'deny').toLowerCase();
  if (action === 'deny') return true;
  if (action !== 'scoped') return false;
  return (Array.isArray(spec.scopedEnforcementActions) ? spec.scopedEnforcementActions : []).some((s) => {
    const points = (Array.isArray(obj(s).enforcementPoints) ? (obj(s).enforcementPoints as unknown[]) : []).map((p) =>
      String(obj(p).name),
    );
    return (
      String(obj(s).action).toLowerCase() === 'deny' &&
      (points.includes('*') || points.some((p) => p.startsWith('validation.')))
    );
  });
}

const patch = (resource: string, name: string, ops: unknown[], namespace?: string): string =>
  `kubectl${namespace ? ` -n ${namespace}` : ''} patch ${resource} ${name} --type json -p '${JSON.stringify(ops)}'`;

function gatekeeper(o: AdmissionPolicyObject, targets: string[], labelsOf: (ns: string) => Record<string, string>) {
  if (!gatekeeperDenies(o.spec)) return undefined;
  const match = obj(o.spec.match);
  const kinds = (Array.isArray(match.kinds) ? match.kinds : []).flatMap((k) => strings(obj(k).kinds));
  if (!workloadKind(kinds) || match.scope === 'Cluster') return undefined;
  const only = strings(match.namespaces);
  const excluded = strings(match.excludedNamespaces);
  const namespaces = targets.filter(
    (ns) =>
      (only.length === 0 || listed(only, ns)) &&
      !listed(excluded, ns) &&
      selects(match.namespaceSelector as V1LabelSelector | undefined, labelsOf(ns)),
  );
  if (!namespaces.length) return undefined;
  const ops =
    'excludedNamespaces' in match
      ? namespaces.map((value) => ({ op: 'add', path: '/spec/match/excludedNamespaces/-', value }))
      : 'match' in o.spec
        ? [{ op: 'add', path: '/spec/match/excludedNamespaces', value: namespaces }]
        : [{ op: 'add', path: '/spec/match', value: { excludedNamespaces: namespaces } }];
  const addon = isAzurePolicyAddon(o);
  const fix = addon
    ? `The Azure Policy add-on owns ${o.kind} ${o.name} and reverts edits: add ${namespaces.join(', ')} to the excludedNamespaces parameter of its Azure Policy assignment (az policy assignment update --name <assignment> --params '{"excludedNamespaces":{"value":${JSON.stringify(['kube-system', 'gatekeeper-system', 'azure-arc', ...namespaces.filter((n) => n !== 'kube-system')])}}}')`
    : patch(o.resource, o.name, ops);
  return { object: o, engine: addon ? 'Azure Policy add-on (Gatekeeper)' : 'Gatekeeper', namespaces, match, fix };
}

/** The `any` / `all` / `resources` blocks of a Kyverno match or exclude. */
function blocks(m: Obj): { any: boolean; items: Obj[] } {
  if (Array.isArray(m.any)) return { any: true, items: m.any.map((x) => obj(obj(x).resources)) };
  if (Array.isArray(m.all)) return { any: false, items: m.all.map((x) => obj(obj(x).resources)) };
  return { any: true, items: 'resources' in m ? [obj(m.resources)] : [] };
}

function kyvernoSelects(r: Obj, ns: string, labels: Record<string, string>): boolean {
  const namespaces = strings(r.namespaces);
  return (
    workloadKind(strings(r.kinds)) &&
    (namespaces.length === 0 || listed(namespaces, ns)) &&
    selects(r.namespaceSelector as V1LabelSelector | undefined, labels)
  );
}

function kyverno(o: AdmissionPolicyObject, targets: string[], labelsOf: (ns: string) => Record<string, string>) {
  const policyAction = String(o.spec.validationFailureAction ?? 'Audit');
  const rules = Array.isArray(o.spec.rules) ? o.spec.rules.map(obj) : [];
  const hits = rules.flatMap((rule, i) => {
    if (rule.validate === undefined) return [];
    const action = String(obj(rule.validate).failureAction ?? policyAction).toLowerCase();
    if (action !== 'enforce') return [];
    const match = blocks(obj(rule.match));
    const exclude = blocks(obj(rule.exclude));
    const scoped = o.kind === 'Policy' ? targets.filter((ns) => ns === o.namespace) : targets;
    const namespaces = scoped.filter((ns) => {
      const labels = labelsOf(ns);
      const hit = (r: Obj) => kyvernoSelects(r, ns, labels);
      const matched = match.items.length === 0 || (match.any ? match.items.some(hit) : match.items.every(hit));
      const excluded =
        exclude.items.length > 0 &&
        (exclude.any
          ? exclude.items.some((r) => listed(strings(r.namespaces), ns))
          : exclude.items.every((r) => listed(strings(r.namespaces), ns)));
      return matched && !excluded;
    });
    if (!namespaces.length) return [];
    const block = { resources: { namespaces } };
    const ex = obj(rule.exclude);
    const ops: { op: string; path: string; value: unknown }[] = Array.isArray(ex.any)
      ? [{ op: 'add', path: `/spec/rules/${i}/exclude/any/-`, value: block }]
      : Object.keys(ex).length === 0
        ? [{ op: 'add', path: `/spec/rules/${i}/exclude`, value: { any: [block] } }]
        : 'namespaces' in obj(ex.resources)
          ? namespaces.map((value) => ({ op: 'add', path: `/spec/rules/${i}/exclude/resources/namespaces/-`, value }))
          : [{ op: 'add', path: `/spec/rules/${i}/exclude/resources/namespaces`, value: namespaces }];
    return [{ namespaces, match: { rule: rule.name ?? i, match: rule.match ?? {}, exclude: rule.exclude ?? {} }, ops }];
  });
  if (!hits.length) return undefined;
  const namespaces = [...new Set(hits.flatMap((h) => h.namespaces))];
  return {
    object: o,
    engine: 'Kyverno',
    namespaces,
    match: { validationFailureAction: policyAction, rules: hits.map((h) => h.match) },
    fix: patch(
      o.resource,
      o.name,
      hits.flatMap((h) => h.ops),
      o.namespace,
    ),
  };
}

/** The policy objects that would deny workloads in any of `targets`, each with its fix. */
export function admissionHits(
  objects: readonly AdmissionPolicyObject[],
  targets: readonly string[],
  labelsOf: (namespace: string) => Record<string, string> = () => ({}),
): AdmissionHit[] {
  const wanted = [...new Set(targets)];
  return objects
    .map((o) => (o.engine === 'gatekeeper' ? gatekeeper(o, wanted, labelsOf) : kyverno(o, wanted, labelsOf)))
    .filter((h): h is AdmissionHit => h !== undefined);
}
