// The public face of the lint rules for other core code (provider translate, doctor): pure functions and data.
export { lintPodSpec, lintObject, lintRelatedObject, formatPath, jsonPointer, IGNORE_ANNOTATION } from './lint.js';
export type { LintOptions, ObjectLint } from './lint.js';
export { RULES, POD_RULES, OBJECT_RULES, ruleById, ruleAnchor } from './registry.js';
export { targetingOf, podTemplateOf, WORKLOAD_KINDS } from './pod.js';
export type { Finding, Rule, RuleInfo, PodRule, ObjectRule, Severity, Stack, Targeting, PathSegment } from './types.js';
