import type { MethodDef } from './method';

/** App accounts whose credentials were disclosed: lock, list and revert their changes since T. */
export const disclosureMethods = {} satisfies Record<string, MethodDef>;
