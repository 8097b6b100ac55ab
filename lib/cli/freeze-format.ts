import type { FreezeScope, FreezeWindow, Schedule } from '#domain/freeze/freeze-window.ts';
import type { FreezeStatus } from '#domain/freeze/freeze-status.ts';
import type { Override } from '#domain/overrides/override.ts';
import type { ProblemDocument } from './exit-codes.ts';

/** What people read about freezes and overrides; pure, so it is unit-tested without a server. */

const isRecurring = (schedule: Schedule): schedule is Extract<Schedule, { rrule: string }> =>
  'rrule' in schedule;

/** `2026-12-18T18:00 → 2027-01-04T08:00 Europe/Berlin`, or `FREQ=WEEKLY;… for P2DT12H (Europe/Berlin)`. */
export const describeSchedule = (schedule: Schedule): string => {
  if (isRecurring(schedule)) {
    const bounds = [
      schedule.start === undefined ? '' : ` from ${schedule.start}`,
      schedule.until === undefined ? '' : ` until ${schedule.until}`,
    ].join('');
    return `${schedule.rrule.replace(/^RRULE:/i, '')} for ${schedule.duration} (${schedule.timezone})${bounds}`;
  }
  const zone = schedule.timezone === undefined ? '' : ` ${schedule.timezone}`;
  return `${schedule.start} → ${schedule.end}${zone}`;
};

const SCOPE_LABELS: [keyof FreezeScope, string][] = [
  ['environments', 'env'],
  ['namespaces', 'ns'],
  ['teams', 'team'],
  ['changeKinds', 'kind'],
];

/** `env prod-*; ns payments`, or `everything` when no dimension narrows it. */
export const describeScope = (scope: FreezeScope): string => {
  const parts = SCOPE_LABELS.flatMap(([field, label]) => {
    const globs = scope[field];
    return globs === undefined ? [] : [`${label} ${globs.join(',')}`];
  });
  return parts.length === 0 ? 'everything' : parts.join('; ');
};

/** Rows of `freeze list`: ID, LEVEL, SCOPE, SCHEDULE, NAME. */
export const windowRows = (windows: readonly FreezeWindow[]): string[][] =>
  windows.map((w) => [w.id, w.level, describeScope(w.scope), describeSchedule(w.schedule), w.name]);

/** A window as the 423 problem and `freeze status` name it. */
export interface WindowMention {
  id: string;
  name?: string;
  level?: string;
  start?: string;
  end?: string;
}

export const windowMention = (w: WindowMention): string =>
  [
    w.id,
    w.name === undefined ? '' : `"${w.name}"`,
    w.level ?? '',
    w.start === undefined || w.end === undefined ? '' : `${w.start} → ${w.end}`,
  ]
    .filter((part) => part !== '')
    .join('  ');

const mentions = (value: unknown): WindowMention[] =>
  Array.isArray(value)
    ? value.flatMap((w): WindowMention[] => {
        if (typeof w === 'string') return [{ id: w }];
        if (w && typeof w === 'object' && typeof (w as WindowMention).id === 'string')
          return [w as WindowMention];
        return [];
      })
    : [];

/**
 * A freeze refusal for people: a 423 (frozen, no override) or a 403 naming an override that cannot be
 * used. The message is short (the windows and the level follow as details); the hint is the exact
 * command that requests an override.
 */
export const frozenExplanation = (
  problem: ProblemDocument,
  status = 423,
): { message: string | undefined; details: string[]; hint: string } => {
  const windows = mentions(problem.windows);
  const level = typeof problem.level === 'string' ? problem.level : undefined;
  const details = [
    ...(level === undefined ? [] : [`level   ${level}`]),
    ...windows.map((w) => `window  ${windowMention(w)}`),
  ];
  const how = typeof problem.howToOverride === 'string' ? problem.howToOverride : undefined;
  const { environment, kind } = problem;
  const message =
    status === 423 && typeof environment === 'string' && typeof kind === 'string'
      ? `${environment} is frozen${level === undefined ? '' : ` (${level})`} for ${kind}`
      : problem.detail;
  if (status !== 423) {
    return {
      message,
      details,
      hint:
        how === undefined
          ? 'See `convoy override show <id>`; request a new override if this one cannot be used.'
          : `This override cannot be used for this change. Request one that can:\n      ${how}`,
    };
  }
  const pass = level === 'soft' ? 'an approved override passes' : 'only an emergency override passes';
  const hint =
    how === undefined
      ? `A freeze window applies (${pass}); wait for it to end or request an override with \`convoy override request\`.`
      : `A freeze window applies (${pass}). Request an override:\n      ${how}`;
  return { message, details, hint };
};

/** The next step after an override decision was refused (403/409 with an `override.*` reason). */
export const overrideDecisionHint = (problem: ProblemDocument): string | undefined => {
  const { reason } = problem;
  const id = typeof problem.overrideId === 'string' ? problem.overrideId : '<id>';
  const show = `\`convoy override show ${id}\``;
  switch (reason) {
    case 'override.self-approval':
      return `The requester never approves their own override; one of its routed approvers must (see ${show}).`;
    case 'override.not-an-approver':
      return `Only principals holding a routed role decide; see who with ${show}.`;
    case 'override.already-approved':
      return `One principal counts once; another routed approver must approve (see ${show}).`;
    case 'override.not-pending':
    case 'override.request-expired':
      return `It is no longer waiting for decisions (see ${show}); request a new override if it is still needed.`;
    default:
      return undefined;
  }
};

/** `freeze status` for people. */
export const statusLines = (
  environment: string,
  status: FreezeStatus,
  query: { kind?: string; namespace?: string; at?: string },
): { headline: string; rows: string[][]; footer: string[] } => {
  const what = [
    query.kind === undefined ? 'changes' : `${query.kind} changes`,
    query.namespace === undefined ? '' : ` to ${query.namespace}`,
    ` in ${environment}`,
    query.at === undefined ? '' : ` at ${query.at}`,
  ].join('');
  const headline = status.frozen
    ? `FROZEN (${status.level ?? 'hard'}): ${what} are frozen by ${status.windows.length} window(s)`
    : `open: ${what} are not frozen`;
  const rows = status.windows.map((w) => [w.id, w.level, `${w.start} → ${w.end}`, w.name]);
  const footer = [
    `allowed kinds  ${status.allowedKinds.length === 0 ? 'none' : status.allowedKinds.join(', ')}`,
    `next change    ${status.nextChange ?? 'none in sight'}`,
  ];
  return { headline, rows, footer };
};

/** `checkout-timeouts@3` or `kinds deploy, rollback`. */
export const overrideTarget = (o: Pick<Override, 'bundle' | 'changeKinds'>): string =>
  o.bundle ?? `kinds ${(o.changeKinds ?? []).join(', ')}`;

/** `1 of 2 (olivia)`. */
export const approvalProgress = (o: Pick<Override, 'approvals' | 'approvalsRequired'>): string =>
  `${o.approvals.length} of ${o.approvalsRequired}${
    o.approvals.length === 0 ? '' : ` (${o.approvals.map((a) => a.by).join(', ')})`
  }`;

/** Rows of `override list`. */
export const overrideRows = (overrides: readonly Override[]): string[][] =>
  overrides.map((o) => [
    o.id,
    o.status,
    o.environment,
    overrideTarget(o),
    o.requester,
    approvalProgress(o),
    o.expiresAt ?? o.decideBy,
  ]);

/** The key/value view of `override show` (and after request, approve, reject). */
export const overrideFacts = (o: Override & { approvers?: string[] }): string[][] => [
  ['override', o.id],
  ['status', o.status],
  ['environment', o.environment],
  ['for', overrideTarget(o)],
  ['level', `${o.level} freeze`],
  ['requested', `${o.requestedAt} by ${o.requester}`],
  ['reason', o.reason],
  ['ticket', o.ticket],
  ['time box', `${o.requestedDuration}${o.reusable ? ', reusable' : ', single-use'}`],
  [
    'approvers',
    `${o.approverRoles.join(' or ')}${o.approvers === undefined || o.approvers.length === 0 ? '' : ` (${o.approvers.join(', ')})`}`,
  ],
  ['approvals', approvalProgress(o)],
  ...(o.status === 'pending' ? [['decide by', o.decideBy]] : []),
  ...(o.rejection === undefined
    ? []
    : [
        [
          'rejected',
          `${o.rejection.at} by ${o.rejection.by}${o.rejection.comment === undefined ? '' : `: ${o.rejection.comment}`}`,
        ],
      ]),
  ...(o.approvedAt === undefined ? [] : [['approved', o.approvedAt]]),
  ...(o.expiresAt === undefined ? [] : [['valid until', o.expiresAt]]),
  ...(o.expiredAt === undefined ? [] : [['expired', o.expiredAt]]),
  ...o.uses.map((u) => ['used', `${u.at}${u.deploymentId === undefined ? '' : ` by ${u.deploymentId}`}`]),
];

/** What to do next with an override, as a command line (or nothing when it is settled). */
export const overrideNextStep = (o: Override): string | undefined => {
  if (o.status === 'pending') {
    const left = o.approvalsRequired - o.approvals.length;
    return `${left} more approval(s) needed: an approver other than ${o.requester} runs \`convoy override approve ${o.id}\``;
  }
  if (o.status === 'approved' && o.bundle !== undefined)
    return `deploy it before ${o.expiresAt ?? 'it expires'}: \`convoy deploy ${o.bundle} --env ${o.environment} --override ${o.id}\``;
  if (o.status === 'approved')
    return `use it before ${o.expiresAt ?? 'it expires'} with \`--override ${o.id}\` on ${(o.changeKinds ?? []).join(', ')} in ${o.environment}`;
  return undefined;
};
