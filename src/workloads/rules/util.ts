import type { Hit, PathSegment, RuleContext, Severity } from '../types.js';

/** A path below the pod spec, from the object's root. */
export const specAt = (ctx: RuleContext, ...rel: PathSegment[]): PathSegment[] => [...ctx.specPath, ...rel];

/** A path below the pod template's metadata, from the object's root. */
export const metaAt = (ctx: RuleContext, ...rel: PathSegment[]): PathSegment[] => [...ctx.metaPath, ...rel];

/** A hit; `severity` only when it differs from the rule's. */
export const hit = (path: PathSegment[], message: string, fix: string, severity?: Severity): Hit =>
  severity ? { path, message, fix, severity } : { path, message, fix };

/** True for a non-empty array. */
export const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** A field that is set (not undefined or null). */
export const present = (v: unknown): boolean => v !== undefined && v !== null;
