import type { MethodDef } from './method';

/** Withdrawn consents due for destruction and the acts of destruction. */
export const destructionMethods = {} satisfies Record<string, MethodDef>;
