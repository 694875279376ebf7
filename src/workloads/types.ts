// The lint model: rules as data plus a pure check over one pod spec. Shared by `vnodes lint`, `provider translate`
// (its warnings) and doctor (pods already on the virtual node), so it imports nothing with I/O.

/**
 * How bad a finding is: `fail` makes `vnodes lint` exit 1; `warn` does so only with --strict; `info` (the catalog's
 * INFO rows: behaviour that differs but rarely breaks) never changes the exit code.
 */
export type Severity = 'fail' | 'warn' | 'info';

/** The virtual-node stack a workload is linted for: the AKS add-on (azure-aci) or Virtual Nodes v2. */
export type Stack = 'v1' | 'v2';

/** One step of a field path: a map key or a list index. */
export type PathSegment = string | number;

/** A loosely typed Kubernetes object or sub-object, as parsed from YAML/JSON or read from the API. */
export type Obj = Record<string, unknown>;

/** How a pod template relates to the virtual node. */
export type Targeting = 'targets' | 'may' | 'none';

/** What a rule knows besides the pod spec. */
export interface RuleContext {
  stack: Stack;
  /** Kind of the object holding the pod template: Pod, Deployment, StatefulSet, CronJob... */
  ownerKind: string;
  /** The whole object (for metadata.name, StatefulSet serviceName); `{}` when linting a bare pod spec. */
  object: Obj;
  /** Path from the object's root to the pod spec (`['spec','template','spec']`). */
  specPath: PathSegment[];
  /** Path from the object's root to the pod template's metadata (`['spec','template','metadata']`). */
  metaPath: PathSegment[];
  /** The pod template's labels and annotations (a Pod's own for kind Pod). */
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Namespace of the object (`default` when unset). */
  namespace: string;
  targeting: Targeting;
}

/** What a rule's check reports: where, what, how to fix; severity only when it differs from the rule's. */
export interface Hit {
  path: PathSegment[];
  message: string;
  fix: string;
  severity?: Severity;
}

/** What every rule declares: the descriptor --list, docs and SARIF show. Ids are stable. */
export interface RuleInfo {
  /** `LNT-AREA-NNN`, as in the catalog. */
  id: string;
  title: string;
  /** Severity per stack; a stack missing here means the rule does not apply there. */
  severity: Partial<Record<Stack, Severity>>;
  /** Longer help for --list, docs/lint-rules.md and SARIF rule descriptors. */
  help: string;
  /** Where the behaviour is documented or observed (the catalog's evidence column). */
  evidence: string;
}

/** A check over another object of the run (a Service, a ServiceAccount...) against the workloads in scope. */
export interface RelatedCheck {
  kinds: readonly string[];
  check(o: Obj, workloads: readonly TargetedWorkload[]): Hit[];
}

/** A rule over one pod spec (research pain.md §3); `related` when part of it shows on another object. */
export interface PodRule extends RuleInfo {
  check(spec: Obj, ctx: RuleContext): Hit[];
  related?: RelatedCheck;
}

/** A pod template that targets the virtual node, as the object rules see it. */
export interface TargetedWorkload {
  ref: ObjectRef;
  labels: Record<string, string>;
  /** The service account its pods run as (`default` when unset). */
  serviceAccount: string;
}

/** A rule over a Service, NetworkPolicy or HPA that selects virtual-node workloads seen in the same run. */
export interface ObjectRule extends RuleInfo, RelatedCheck {}

/** Any rule of the registry. */
export type Rule = PodRule | ObjectRule;

/** One finding, with a path from the object's root. */
export interface Finding {
  rule: string;
  severity: Severity;
  path: PathSegment[];
  message: string;
  fix: string;
}

/** The object a finding is about. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}
