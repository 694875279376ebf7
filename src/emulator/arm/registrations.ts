import type { ProviderSpec, Scenario } from '../scenario/model.js';
import { NAMESPACES, namespaceSpec } from './api-versions.js';

interface Registration {
  namespace: string;
  state: string;
  policy: string;
  spec: ProviderSpec | undefined;
  /** Set while Registering: when register was called and how many reads have answered Registering since. */
  registering?: { at: number; reads: number };
}

/**
 * Resource provider registration per namespace. Namespaces in the api-version table start Registered unless the
 * scenario says otherwise; Microsoft.Resources and Microsoft.Authorization are registration-free and always Registered.
 * `register` moves NotRegistered → Registering; reads of the provider (`observe`) or time move it on to Registered
 * as the scenario's `registering: {reads, ms}` says (default: one read answers Registering).
 */
export class Registrations {
  private readonly byKey = new Map<string, Registration>();

  constructor(
    scenario: Scenario,
    private readonly now: () => number,
  ) {
    for (const ns of NAMESPACES) {
      const policy = ns.registrationFree ? 'RegistrationFree' : 'RegistrationRequired';
      this.byKey.set(ns.namespace.toLowerCase(), {
        namespace: ns.namespace,
        state: 'Registered',
        policy,
        spec: undefined,
      });
    }
    for (const [namespace, spec] of Object.entries(scenario.providers)) {
      const known = this.byKey.get(namespace.toLowerCase());
      const free = namespaceSpec(namespace)?.registrationFree === true;
      this.byKey.set(namespace.toLowerCase(), {
        namespace: known?.namespace ?? namespace,
        state: free ? 'Registered' : spec.registrationState,
        policy: spec.registrationPolicy ?? known?.policy ?? 'RegistrationRequired',
        spec,
        // A scenario may start a provider mid-registration.
        ...(spec.registrationState === 'Registering' ? { registering: { at: now(), reads: 0 } } : {}),
      });
    }
  }

  /** Every namespace the subscription sees, in table order then scenario order. */
  namespaces(): string[] {
    return [...this.byKey.values()].map((r) => r.namespace);
  }

  /** Canonical namespace casing, or undefined for a namespace nobody serves. */
  canonical(namespace: string): string | undefined {
    return this.byKey.get(namespace.toLowerCase())?.namespace;
  }

  /** The scenario's spec for the namespace (resourceTypes overrides), if any. */
  spec(namespace: string): ProviderSpec | undefined {
    return this.byKey.get(namespace.toLowerCase())?.spec;
  }

  policy(namespace: string): string {
    return this.byKey.get(namespace.toLowerCase())?.policy ?? 'RegistrationRequired';
  }

  /** The current state, without counting as a read (time still counts). */
  state(namespace: string): string {
    const r = this.byKey.get(namespace.toLowerCase());
    if (r === undefined) return 'NotRegistered';
    this.advanceByTime(r);
    return r.state;
  }

  isRegistered(namespace: string): boolean {
    return this.byKey.get(namespace.toLowerCase()) === undefined || this.state(namespace) === 'Registered';
  }

  /** A read of the provider (Providers_Get): answers the state and counts towards Registering → Registered. */
  observe(namespace: string): string {
    const r = this.byKey.get(namespace.toLowerCase());
    if (r === undefined) return 'NotRegistered';
    this.advanceByTime(r);
    if (r.state === 'Registering' && r.registering !== undefined) {
      const needed = r.spec?.registering?.reads ?? (r.spec?.registering?.ms === undefined ? 1 : Infinity);
      if (r.registering.reads >= needed) this.finish(r);
      else r.registering.reads += 1;
    }
    return r.state;
  }

  /** POST register: NotRegistered/Unregistered → Registering (Registered stays Registered). */
  register(namespace: string): void {
    const r = this.ensure(namespace);
    if (r.state === 'Registered' || r.state === 'Registering') return;
    r.state = 'Registering';
    r.registering = { at: this.now(), reads: 0 };
    this.advanceByTime(r);
  }

  /** POST unregister: → Unregistered at once (the emulator skips ARM's Unregistering phase). */
  unregister(namespace: string): void {
    const r = this.ensure(namespace);
    if (r.policy === 'RegistrationFree') return;
    r.state = 'Unregistered';
    delete r.registering;
  }

  private ensure(namespace: string): Registration {
    let r = this.byKey.get(namespace.toLowerCase());
    if (r === undefined) {
      r = { namespace, state: 'NotRegistered', policy: 'RegistrationRequired', spec: undefined };
      this.byKey.set(namespace.toLowerCase(), r);
    }
    return r;
  }

  private advanceByTime(r: Registration): void {
    const ms = r.spec?.registering?.ms;
    if (
      r.state === 'Registering' &&
      r.registering !== undefined &&
      ms !== undefined &&
      this.now() - r.registering.at >= ms
    ) {
      this.finish(r);
    }
  }

  private finish(r: Registration): void {
    r.state = 'Registered';
    delete r.registering;
  }
}
