import type { MethodDef } from './method';

/** Consent texts, the consent register and coverage (issue 4, items 1–3). */
export const consentMethods = {} satisfies Record<string, MethodDef>;
