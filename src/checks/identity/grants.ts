// Whether role assignments grant an action at a scope: the actions of the assigned roles, with `*` wildcards, minus
// their notActions, for assignments at the scope or above it (how Azure RBAC evaluates, without deny assignments).
import type { Grant } from '../doctor-facts.js';

const matches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

/** True when `scope` is `above` or lies below it. */
export function covers(above: string, scope: string): boolean {
  const a = above.toLowerCase().replace(/\/+$/, '');
  const s = scope.toLowerCase();
  return s === a || s.startsWith(`${a}/`);
}

/** The grants that give `action` at `scope`. */
export function grantsFor(grants: readonly Grant[], action: string, scope: string): Grant[] {
  return grants.filter(
    (g) =>
      covers(g.scope, scope) &&
      g.actions.some((a) => matches(a, action)) &&
      !g.notActions.some((a) => matches(a, action)),
  );
}
