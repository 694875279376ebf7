// Every lint rule, in catalog order. `vnodes lint --list`, docs/lint-rules.md and SARIF descriptors come from here.
import { containerRules } from './rules/containers.js';
import { envRules } from './rules/env.js';
import { identityRules } from './rules/identity.js';
import { infoRules } from './rules/info.js';
import { initDnsRules } from './rules/init-dns.js';
import { objectRules } from './rules/objects.js';
import { resourceRules } from './rules/resources.js';
import { schedulingRules } from './rules/scheduling.js';
import { volumeRules } from './rules/volumes.js';
import type { ObjectRule, PodRule, Rule } from './types.js';

/** Rules over one pod spec. */
export const POD_RULES: readonly PodRule[] = [
  ...schedulingRules,
  ...containerRules,
  ...resourceRules,
  ...envRules,
  ...volumeRules,
  ...initDnsRules,
  ...identityRules,
  ...infoRules,
];

/** Rules over Services, NetworkPolicies and HPAs that select virtual-node workloads. */
export const OBJECT_RULES: readonly ObjectRule[] = objectRules;

/** Every rule. */
export const RULES: readonly Rule[] = [...POD_RULES, ...OBJECT_RULES];

/** The rule with this id (case-insensitive), or undefined. */
export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id.toUpperCase());

/** The anchor of a rule in docs/lint-rules.md. */
export const ruleAnchor = (id: string): string => `docs/lint-rules.md#${id.toLowerCase()}`;
