import { describe, expect, it } from 'vitest';
import { LroEngine } from '../../src/emulator/arm/lro.js';
import { Registrations } from '../../src/emulator/arm/registrations.js';
import type { Scenario } from '../../src/emulator/scenario/model.js';

const scenario = (providers: Scenario['providers']): Scenario => ({
  name: 't',
  description: '',
  source: 't.yaml',
  subscription: { id: 's', displayName: 's', tenantId: 't', state: 'Enabled' },
  resourceGroups: [],
  providers,
  regions: [],
  resources: [],
  pageSize: 100,
  kubernetes: [],
});

describe('Registrations', () => {
  it('moves Registering → Registered after the configured reads', () => {
    const r = new Registrations(
      scenario({ 'microsoft.containerinstance': { registrationState: 'NotRegistered', registering: { reads: 1 } } }),
      () => 0,
    );
    expect(r.canonical('MICROSOFT.CONTAINERINSTANCE')).toBe('Microsoft.ContainerInstance');
    expect(r.isRegistered('Microsoft.ContainerInstance')).toBe(false);
    r.register('Microsoft.ContainerInstance');
    expect(['x', 'y', 'z'].map(() => r.observe('Microsoft.ContainerInstance'))).toEqual([
      'Registering',
      'Registered',
      'Registered',
    ]);
    expect(r.isRegistered('Microsoft.ContainerInstance')).toBe(true);
  });

  it('moves on by time, also from a scenario that starts Registering', () => {
    let now = 1000;
    const r = new Registrations(
      scenario({ 'Microsoft.Network': { registrationState: 'Registering', registering: { ms: 200 } } }),
      () => now,
    );
    expect(r.observe('Microsoft.Network')).toBe('Registering');
    expect(r.observe('Microsoft.Network')).toBe('Registering');
    now += 200;
    expect(r.state('Microsoft.Network')).toBe('Registered');
  });

  it('keeps registration-free namespaces Registered and knows the table namespaces', () => {
    const r = new Registrations(
      scenario({ 'Microsoft.Authorization': { registrationState: 'NotRegistered' } }),
      () => 0,
    );
    expect(r.state('Microsoft.Authorization')).toBe('Registered');
    r.unregister('Microsoft.Authorization');
    expect(r.state('Microsoft.Authorization')).toBe('Registered');
    expect(r.namespaces()).toEqual(
      expect.arrayContaining(['Microsoft.Resources', 'Microsoft.ContainerService', 'Microsoft.ManagedIdentity']),
    );
    r.unregister('Microsoft.Network');
    expect(r.state('Microsoft.Network')).toBe('Unregistered');
  });
});

describe('LroEngine', () => {
  it('settles operations lazily, in order, running their hooks once', () => {
    let now = 0;
    const engine = new LroEngine(() => now, 100);
    const events: string[] = [];
    const base = {
      subscriptionId: 's',
      namespace: 'Microsoft.Network',
      location: 'eastus',
      apiVersion: '2026-01-01',
      finalResult: () => ({ status: 200 }),
    };
    const ok = engine.begin({ ...base, resourceId: '/x/A', onSucceeded: () => events.push('ok') });
    const bad = engine.begin({
      ...base,
      failWith: { code: 'Boom', message: 'no' },
      onFailed: (e) => events.push(e.code),
    });
    expect(engine.busyWith('/X/a')).toBe('/x/A');
    expect(engine.retryAfterSeconds(ok)).toBe(1);
    now = 99;
    engine.settleDue();
    expect(events).toEqual([]);
    now = 100;
    engine.settleDue();
    engine.settleDue();
    expect(events).toEqual(['ok', 'Boom']);
    expect([ok.status, bad.status, bad.error?.code]).toEqual(['Succeeded', 'Failed', 'Boom']);
    expect(engine.busyWith('/x/a')).toBeUndefined();
    expect(engine.get(ok.id.toUpperCase())).toBe(ok);
    expect(engine.headers(ok, 'https://127.0.0.1:1234/')).toMatchObject({
      'Azure-AsyncOperation': `https://127.0.0.1:1234/subscriptions/s/providers/Microsoft.Network/locations/eastus/operations/${ok.id}?api-version=2026-01-01`,
      Location: `https://127.0.0.1:1234/subscriptions/s/providers/Microsoft.Network/locations/eastus/operationResults/${ok.id}?api-version=2026-01-01`,
    });
  });
});
