/**
 * Overrides: the emergency exception to a freeze. This folder holds the request and the record (here),
 * approver routing, the approvers' decisions, using an override, and the change gate (may a change
 * commit now, frozen or not, with the override it names). It builds on ../freeze, which knows nothing
 * of overrides.
 */
import { z } from 'zod';
import { roleSchema, type Catalog } from '../catalog/catalog.ts';
import { isGlob } from '../core/glob.ts';
import { bundleRefSchema, nameSchema } from '../core/names.ts';
import { problem, type Problem } from '../core/problem.ts';
import { routeApprovers } from './approver-routing.ts';
import { changeKindSchema, freezeLevelSchema, type FreezeLevel } from '../freeze/change-kind.ts';
import { HOUR_MS, parseDuration, parseInstant, toIso } from '../freeze/local-time.ts';

export const OVERRIDE_DEFAULT_DURATION = 'PT2H';
export const OVERRIDE_MAX_DURATION_MS = 24 * HOUR_MS;
export const OVERRIDE_MIN_REASON = 10;
/** How long a request waits for its decisions before it expires (the workflow's timeout). */
export const OVERRIDE_DECISION_TIMEOUT_MS = 24 * HOUR_MS;

/** Milliseconds of a time box such as PT2H: fixed units only, more than zero, at most 24 hours. */
export const timeBoxMs = (text: string): { ok: true; ms: number } | { ok: false; message: string } => {
  const duration = parseDuration(text);
  const units = duration?.toObject();
  if (duration === null || units === undefined || (units.years ?? 0) > 0 || (units.months ?? 0) > 0) {
    return { ok: false, message: `"${text}" is not a duration in days, hours or minutes, e.g. PT2H` };
  }
  const ms = duration.as('milliseconds');
  if (ms <= 0 || ms > OVERRIDE_MAX_DURATION_MS)
    return { ok: false, message: `"${text}" must be more than zero and at most PT24H` };
  return { ok: true, ms };
};

const flag = (ctx: z.RefinementCtx, code: string, message: string): void => {
  ctx.addIssue({ code: 'custom', message, params: { code } });
};

/** `POST /overrides`: an emergency change request for either one bundle or some change kinds. */
export const overrideRequestSchema = z
  .strictObject({
    environment: nameSchema,
    /** `name@version` of the bundle the override lets through. */
    bundle: z
      .string()
      .refine(
        (text) => bundleRefSchema.safeParse(text).success,
        'must be name@version, e.g. checkout-timeouts@3',
      )
      .optional(),
    changeKinds: z.array(changeKindSchema).min(1).max(5).optional(),
    reason: z
      .string()
      .trim()
      .min(OVERRIDE_MIN_REASON, `say why in at least ${OVERRIDE_MIN_REASON} characters`)
      .max(2000),
    ticket: z.string().trim().min(1).max(200),
    requestedDuration: z
      .string()
      .max(64)
      .default(OVERRIDE_DEFAULT_DURATION)
      .superRefine((text, ctx) => {
        const box = timeBoxMs(text);
        if (!box.ok) flag(ctx, 'override.bad-duration', box.message);
      }),
    /** May ask for more approvals than the level requires, never fewer. */
    approvalsRequired: z.number().int().min(1).max(10).optional(),
    /** Single-use unless true. */
    reusable: z.boolean().optional(),
  })
  .refine((r) => (r.bundle === undefined) !== (r.changeKinds === undefined), {
    message: 'give exactly one of bundle or changeKinds',
    path: ['bundle'],
    params: { code: 'override.scope' },
    when: ({ value }) => typeof value === 'object' && value !== null,
  });
export type OverrideRequest = z.infer<typeof overrideRequestSchema>;

export const overrideStatuses = ['pending', 'approved', 'rejected', 'expired', 'used'] as const;
export const overrideStatusSchema = z.enum(overrideStatuses);
export type OverrideStatus = z.infer<typeof overrideStatusSchema>;

const instant = z.string().refine((text) => parseInstant(text) !== null, 'must be an ISO 8601 instant');

export const overrideSchema = z.strictObject({
  id: z.string().min(1).max(100),
  status: overrideStatusSchema,
  environment: nameSchema,
  bundle: z.string().optional(),
  changeKinds: z.array(changeKindSchema).optional(),
  reason: z.string(),
  ticket: z.string(),
  requestedDuration: z.string(),
  reusable: z.boolean(),
  requester: z.string().min(1),
  requestedAt: instant,
  /** Decisions are accepted until then; afterwards the request expires. */
  decideBy: instant,
  /** The strictest level of the freeze the override is for; it set the default approvals. */
  level: freezeLevelSchema,
  namespaces: z.array(z.string()),
  approverRoles: z.array(roleSchema),
  approvalsRequired: z.number().int().min(1),
  approvals: z.array(z.strictObject({ by: z.string(), at: instant })),
  rejection: z.strictObject({ by: z.string(), at: instant, comment: z.string().optional() }).optional(),
  approvedAt: instant.optional(),
  expiresAt: instant.optional(),
  expiredAt: instant.optional(),
  uses: z.array(z.strictObject({ at: instant, deploymentId: z.string().optional() })),
});
export type Override = z.infer<typeof overrideSchema>;

export interface OverrideContext {
  id: string;
  requester: string;
  /** When the request was made (ISO instant). */
  at: string;
  /** The strictest level of the windows in force for the requested scope. */
  level: FreezeLevel;
  /** Namespaces the change touches (for a bundle: those its changes touch). */
  namespaces: readonly string[];
}

/**
 * A new pending override, routed to its approvers. Problems (not exceptions) when the request cannot
 * be approved by anyone: fewer eligible approvers than approvals required.
 */
export const createOverride = (
  request: OverrideRequest,
  context: OverrideContext,
  catalog: Catalog,
): { ok: true; override: Override } | { ok: false; problems: Problem[] } => {
  const requestedAt = parseInstant(context.at);
  if (requestedAt === null)
    return { ok: false, problems: [problem('override.bad-instant', `"${context.at}" is not an instant`)] };
  const routing = routeApprovers(catalog, {
    namespaces: context.namespaces,
    level: context.level,
    requester: context.requester,
  });
  const approvalsRequired = Math.max(routing.approvalsRequired, request.approvalsRequired ?? 0);
  const everyone = catalog.roles.some(
    (m) => isGlob(m.principal) && m.roles.some((r) => routing.roles.includes(r)),
  );
  if (!everyone && routing.approvers.length < approvalsRequired) {
    return {
      ok: false,
      problems: [
        problem(
          'override.not-enough-approvers',
          `${approvalsRequired} approvals are required but only ${routing.approvers.length} principal(s) other than the requester hold ${routing.roles.join(' or ')}`,
        ),
      ],
    };
  }
  return {
    ok: true,
    override: {
      id: context.id,
      status: 'pending',
      environment: request.environment,
      ...(request.bundle === undefined ? {} : { bundle: request.bundle }),
      ...(request.changeKinds === undefined ? {} : { changeKinds: request.changeKinds }),
      reason: request.reason,
      ticket: request.ticket,
      requestedDuration: request.requestedDuration,
      reusable: request.reusable ?? false,
      requester: context.requester,
      requestedAt: toIso(requestedAt),
      decideBy: toIso(requestedAt + OVERRIDE_DECISION_TIMEOUT_MS),
      level: context.level,
      namespaces: [...context.namespaces].sort(),
      approverRoles: routing.roles,
      approvalsRequired,
      approvals: [],
      uses: [],
    },
  };
};
