/**
 * What a rollout already running does when a freeze window starts (issue 3's `inFlight`): `pause`
 * (the default), `finish-phase` (bake the current phase, start no new one) or `continue`.
 * Mirrors the freeze module's field; unify once lib/domain/freeze exports it.
 */
export const inFlightPolicies = ['pause', 'finish-phase', 'continue'] as const;
export type InFlightPolicy = (typeof inFlightPolicies)[number];
