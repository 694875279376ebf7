// The policy rules over case tables: Azure Policy deny detection (literal effects, parameters from the assignment,
// the definition's default and an initiative, enforcement mode and notScopes, which types an `if` names), the
// Activity Log's policy denials, and in-cluster admission policy (Gatekeeper match/exclude/kinds/enforcementAction,
// the Azure Policy add-on, Kyverno Enforce/Audit and match/exclude), each with its fix.
import { describe, expect, it } from 'vitest';
import type {
  AdmissionPolicyObject,
  PolicyAssignmentFact,
  PolicyDefinitionFact,
} from '../../src/checks/doctor-facts.js';
import { enforcedOver, policyDenials, potentialDenies, resolve } from '../../src/checks/policy/azure-rules.js';
import { admissionHits } from '../../src/checks/policy/in-cluster-rules.js';

const SUB = '/subscriptions/s';
const NRG = `${SUB}/resourceGroups/MC_rg_c_eastus`;
const VRG = `${SUB}/resourceGroups/net`;
const ACI = 'Microsoft.ContainerInstance/containerGroups';

const def = (
  id: string,
  rule: PolicyDefinitionFact['policyRule'],
  parameters?: PolicyDefinitionFact['parameters'],
) => ({
  id,
  name: id.split('/').pop()!,
  ...(parameters ? { parameters } : {}),
  policyRule: rule,
});
const assign = (definitionId: string, extra: Partial<PolicyAssignmentFact> = {}): PolicyAssignmentFact => ({
  id: `${SUB}/providers/Microsoft.Authorization/policyAssignments/a`,
  name: 'a',
  scope: SUB,
  policyDefinitionId: definitionId,
  ...extra,
});
const typeIs = (t: string) => ({ field: 'type', equals: t });

describe('Azure Policy: which enforced denies name container groups or subnets', () => {
  const effectParam = { effect: { defaultValue: 'Audit' } };
  // An initiative whose parameter e (default Deny) is its member d1's effect (d1's own default: Audit).
  const initiative: PolicyDefinitionFact[] = [
    {
      id: 'set',
      name: 'set',
      parameters: { e: { defaultValue: 'Deny' } },
      policyDefinitions: [{ policyDefinitionId: 'd1', parameters: { effect: { value: "[parameters('e')]" } } }],
    },
    def('d1', { if: typeIs(ACI), then: { effect: "[parameters('effect')]" } }, effectParam),
  ];
  const CASES: [string, PolicyAssignmentFact[], PolicyDefinitionFact[], number, RegExp?][] = [
    ['literal deny on container groups', [assign('d1')], [def('d1', { if: typeIs(ACI), then: { effect: 'deny' } })], 1],
    [
      'literal Deny (any case) on subnets',
      [assign('d1')],
      [def('d1', { if: { allOf: [typeIs('Microsoft.Network/virtualNetworks/subnets')] }, then: { effect: 'Deny' } })],
      1,
    ],
    ['audit is not a deny', [assign('d1')], [def('d1', { if: typeIs(ACI), then: { effect: 'audit' } })], 0],
    [
      'a deny on other types',
      [assign('d1')],
      [def('d1', { if: typeIs('Microsoft.Storage/storageAccounts'), then: { effect: 'deny' } })],
      0,
    ],
    [
      'an alias names the type',
      [assign('d1')],
      [def('d1', { if: { field: `${ACI}/ipAddress.type`, equals: 'Public' }, then: { effect: 'deny' } })],
      1,
    ],
    [
      'effect from the default (Audit): no',
      [assign('d1')],
      [def('d1', { if: typeIs(ACI), then: { effect: "[parameters('effect')]" } }, effectParam)],
      0,
    ],
    [
      'effect from the assignment (Deny): yes',
      [assign('d1', { parameters: { effect: { value: 'Deny' } } })],
      [def('d1', { if: typeIs(ACI), then: { effect: "[parameters('effect')]" } }, effectParam)],
      1,
    ],
    [
      'the type list from a parameter (Not allowed resource types)',
      [assign('d1', { parameters: { types: { value: [ACI] } } })],
      [def('d1', { if: { field: 'type', in: "[parameters('types')]" }, then: { effect: 'deny' } })],
      1,
    ],
    [
      'the type list parameter not naming ours',
      [assign('d1', { parameters: { types: { value: ['Microsoft.Sql/servers'] } } })],
      [def('d1', { if: { field: 'type', in: "[parameters('types')]" }, then: { effect: 'deny' } })],
      0,
    ],
    ['an initiative passes Deny to its member through its own parameter', [assign('set')], initiative, 1],
    [
      'the assignment overrides the initiative default with Audit',
      [assign('set', { parameters: { e: { value: 'Audit' } } })],
      initiative,
      0,
    ],
    [
      'DoNotEnforce',
      [assign('d1', { enforcementMode: 'DoNotEnforce' })],
      [def('d1', { if: typeIs(ACI), then: { effect: 'deny' } })],
      0,
    ],
    [
      'the node RG in notScopes',
      [assign('d1', { notScopes: [NRG, VRG] })],
      [def('d1', { if: typeIs(ACI), then: { effect: 'deny' } })],
      0,
    ],
    [
      'assigned to another group',
      [assign('d1', { scope: `${SUB}/resourceGroups/other` })],
      [def('d1', { if: typeIs(ACI), then: { effect: 'deny' } })],
      0,
    ],
    [
      'assigned at the VNet group',
      [assign('d1', { scope: VRG })],
      [def('d1', { if: typeIs('Microsoft.Network/virtualNetworks/subnets'), then: { effect: 'deny' } })],
      1,
    ],
    ['definition not read', [assign('d1')], [], 0],
  ];
  it.each(CASES)('%s', (_name, assignments, definitions, count) => {
    expect(potentialDenies(assignments, definitions, [NRG, VRG])).toHaveLength(count);
  });

  it('evidence: the field conditions with parameters resolved, and which types are named', () => {
    const [found] = potentialDenies(
      [assign('d1', { parameters: { types: { value: [ACI] } } })],
      [
        def('d1', {
          if: {
            anyOf: [{ field: 'type', in: "[parameters('types')]" }, { not: { field: 'location', equals: 'eastus' } }],
          },
          then: { effect: 'deny' },
        }),
      ],
      [NRG],
    );
    expect(found).toMatchObject({
      mentions: [ACI],
      conditions: [
        { field: 'type', in: [ACI] },
        { field: 'location', equals: 'eastus' },
      ],
    });
  });

  it('resolve: parameters in any case, nested; other strings untouched', () => {
    expect(resolve({ a: ["[parameters('X')]", 'y'] }, { x: 1 })).toEqual({ a: [1, 'y'] });
    expect(resolve("[concat('a', 'b')]", {})).toBe("[concat('a', 'b')]");
    expect(enforcedOver([assign('d'), assign('d', { scope: `${SUB}/resourceGroups/x` })], [NRG])).toHaveLength(1);
  });

  it('Activity Log: RequestDisallowedByPolicy failures, with the assignment name from the error', () => {
    const message = JSON.stringify({
      error: {
        code: 'RequestDisallowedByPolicy',
        message: `Resource 'g' was disallowed by policy. Policy identifiers: '[{"policyAssignment":{"name":"No public ACI","id":"x"}}]'.`,
      },
    });
    expect(
      policyDenials([
        { resourceId: `${NRG}/g`, operationName: `${ACI}/write`, eventTimestamp: 't', statusMessage: message },
        { resourceId: `${NRG}/h`, operationName: `${ACI}/write`, statusMessage: '{"error":{"code":"Conflict"}}' },
        {
          resourceId: `${NRG}/i`,
          statusMessage: "The resource action 'x' is disallowed by one or more policies. Policy identifier(s): '/p/d'.",
        },
      ]),
    ).toEqual([
      { resourceId: `${NRG}/g`, operation: `${ACI}/write`, time: 't', policy: 'No public ACI' },
      { resourceId: `${NRG}/i`, operation: '', time: '', policy: '/p/d' },
    ]);
  });
});

const gk = (spec: Record<string, unknown>, name = 'c', labels?: Record<string, string>): AdmissionPolicyObject => ({
  engine: 'gatekeeper',
  kind: 'K8sRequiredLabels',
  resource: 'k8srequiredlabels.constraints.gatekeeper.sh',
  name,
  spec,
  ...(labels ? { labels } : {}),
});
const ky = (spec: Record<string, unknown>, kind = 'ClusterPolicy', namespace?: string): AdmissionPolicyObject => ({
  engine: 'kyverno',
  kind,
  resource: kind === 'Policy' ? 'policies.kyverno.io' : 'clusterpolicies.kyverno.io',
  name: 'p',
  ...(namespace ? { namespace } : {}),
  spec,
});
const rule = (extra: Record<string, unknown> = {}) => ({
  name: 'r',
  validate: { pattern: {} },
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  ...extra,
});

describe('in-cluster admission policy: who denies in the virtual-node namespaces', () => {
  const TARGETS = ['kube-system', 'shop'];
  const CASES: [string, AdmissionPolicyObject, string[]][] = [
    ['gatekeeper: no match at all selects everything (enforcementAction defaults to deny)', gk({}), TARGETS],
    ['gatekeeper: dryrun does not deny', gk({ enforcementAction: 'dryrun' }), []],
    ['gatekeeper: warn does not deny', gk({ enforcementAction: 'warn' }), []],
    ['gatekeeper: excludedNamespaces', gk({ match: { excludedNamespaces: ['kube-*'] } }), ['shop']],
    ['gatekeeper: namespaces only', gk({ match: { namespaces: ['shop'] } }), ['shop']],
    ['gatekeeper: kinds without workloads', gk({ match: { kinds: [{ apiGroups: [''], kinds: ['Service'] }] } }), []],
    [
      'gatekeeper: kinds with Deployment',
      gk({ match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } }),
      TARGETS,
    ],
    ['gatekeeper: cluster scope only', gk({ match: { scope: 'Cluster' } }), []],
    [
      'gatekeeper: namespaceSelector',
      gk({ match: { namespaceSelector: { matchLabels: { team: 'shop' } } } }),
      ['shop'],
    ],
    [
      'gatekeeper: scoped deny at validation',
      gk({
        enforcementAction: 'scoped',
        scopedEnforcementActions: [{ action: 'deny', enforcementPoints: [{ name: 'validation.gatekeeper.sh' }] }],
      }),
      TARGETS,
    ],
    ['kyverno: Enforce on Pods', ky({ validationFailureAction: 'Enforce', rules: [rule()] }), TARGETS],
    ['kyverno: lower-case enforce', ky({ validationFailureAction: 'enforce', rules: [rule()] }), TARGETS],
    ['kyverno: Audit (the default) does not deny', ky({ rules: [rule()] }), []],
    [
      'kyverno: rule failureAction beats the policy',
      ky({ validationFailureAction: 'Audit', rules: [rule({ validate: { failureAction: 'Enforce' } })] }),
      TARGETS,
    ],
    [
      'kyverno: mutate rules do not deny',
      ky({ validationFailureAction: 'Enforce', rules: [{ name: 'm', mutate: {}, match: {} }] }),
      [],
    ],
    [
      'kyverno: exclude kube-system',
      ky({
        validationFailureAction: 'Enforce',
        rules: [rule({ exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] } })],
      }),
      ['shop'],
    ],
    [
      'kyverno: match namespaces',
      ky({
        validationFailureAction: 'Enforce',
        rules: [rule({ match: { resources: { kinds: ['Pod'], namespaces: ['sh*'] } } })],
      }),
      ['shop'],
    ],
    [
      'kyverno: kinds Service only',
      ky({
        validationFailureAction: 'Enforce',
        rules: [rule({ match: { any: [{ resources: { kinds: ['Service'] } }] } })],
      }),
      [],
    ],
    [
      'kyverno: a namespaced Policy applies in its namespace only',
      ky({ validationFailureAction: 'Enforce', rules: [rule()] }, 'Policy', 'shop'),
      ['shop'],
    ],
  ];
  it.each(CASES)('%s', (_name, object, namespaces) => {
    const labels: Record<string, Record<string, string>> = { shop: { team: 'shop' } };
    const hits = admissionHits([object], TARGETS, (ns) => labels[ns] ?? {});
    expect(hits.flatMap((h) => h.namespaces)).toEqual(namespaces);
  });

  it.each([
    [
      'gatekeeper: append to excludedNamespaces',
      gk({ match: { excludedNamespaces: ['x'] } }),
      `kubectl patch k8srequiredlabels.constraints.gatekeeper.sh c --type json -p '[{"op":"add","path":"/spec/match/excludedNamespaces/-","value":"kube-system"},{"op":"add","path":"/spec/match/excludedNamespaces/-","value":"shop"}]'`,
    ],
    [
      'gatekeeper: create excludedNamespaces',
      gk({ match: { kinds: [] } }),
      `kubectl patch k8srequiredlabels.constraints.gatekeeper.sh c --type json -p '[{"op":"add","path":"/spec/match/excludedNamespaces","value":["kube-system","shop"]}]'`,
    ],
    [
      'gatekeeper: create match',
      gk({}),
      `kubectl patch k8srequiredlabels.constraints.gatekeeper.sh c --type json -p '[{"op":"add","path":"/spec/match","value":{"excludedNamespaces":["kube-system","shop"]}}]'`,
    ],
    [
      'kyverno: add an exclude',
      ky({ validationFailureAction: 'Enforce', rules: [{ name: 'm', mutate: {} }, rule()] }),
      `kubectl patch clusterpolicies.kyverno.io p --type json -p '[{"op":"add","path":"/spec/rules/1/exclude","value":{"any":[{"resources":{"namespaces":["kube-system","shop"]}}]}}]'`,
    ],
    [
      'kyverno: a namespaced Policy',
      ky(
        { validationFailureAction: 'Enforce', rules: [rule({ exclude: { resources: { namespaces: ['a'] } } })] },
        'Policy',
        'shop',
      ),
      `kubectl -n shop patch policies.kyverno.io p --type json -p '[{"op":"add","path":"/spec/rules/0/exclude/resources/namespaces/-","value":"shop"}]'`,
    ],
  ])('fix, %s', (_name, object, fix) => {
    expect(admissionHits([object], TARGETS)[0]?.fix).toBe(fix);
  });

  it('an Azure Policy add-on constraint: the fix is the assignment parameter, since the add-on reverts edits', () => {
    const [hit] = admissionHits([gk({}, 'azurepolicy-k8sazurev2noprivilege-1')], ['kube-system']);
    expect(hit?.engine).toBe('Azure Policy add-on (Gatekeeper)');
    expect(hit?.fix).toMatch(/excludedNamespaces parameter of its Azure Policy assignment/);
    expect(admissionHits([gk({}, 'x', { 'managed-by': 'azure-policy-addon' })], ['kube-system'])[0]?.engine).toMatch(
      /add-on/,
    );
  });
});
