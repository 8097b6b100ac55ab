import type {
  RolloutEventView,
  RolloutHealthView,
  RolloutPhaseView,
  RolloutListItem,
  RolloutView,
} from '#api/rollout-view.ts';

const dash = (value: string | null | undefined): string =>
  value === null || value === undefined ? '-' : value;

/** `succeeded`, or `rolled-back: prod-eu-5xx-rate in ALARM` when the rollout says why. */
export const statusText = (view: Pick<RolloutView, 'status' | 'reason'>): string =>
  view.reason ? `${view.status}: ${view.reason}` : view.status;

/** The key/value header of `rollout status`. */
export const rolloutFacts = (view: RolloutView): string[][] => [
  ['rollout', view.id],
  ['bundle', dash(view.bundle)],
  ...(view.releaseBundles ? [['pinned', view.releaseBundles.join(', ')]] : []),
  ['strategy', dash(view.strategy)],
  ['status', statusText(view)],
  ['phase', dash(view.currentPhase)],
  ['started', `${dash(view.startedAt)}${view.startedBy ? ` by ${view.startedBy}` : ''}`],
  ...(view.endedAt ? [['ended', view.endedAt]] : []),
  ...(view.promoted ? [['promoted', 'the current bake ends at the next healthy check']] : []),
  ...(view.freeze
    ? [
        [
          'freeze',
          `${view.freeze.windows.join(', ') || '(none)'} since ${view.freeze.at}; ${view.freeze.policy}`,
        ],
      ]
    : []),
  ...(view.anomalies.length > 0
    ? [['anomalies', view.anomalies.map((a) => `#${a.seq} ${a.type}: ${a.reason}`).join('; ')]]
    : []),
];

export const PHASE_HEADER = ['PHASE', 'ENVIRONMENTS', 'STATUS', 'DEPLOYED AT', 'BAKED UNTIL'];

export const phaseRows = (phases: readonly RolloutPhaseView[]): string[][] =>
  phases.map((p) => [
    p.name,
    p.environments.join(','),
    p.status + (p.approval ? ' (approval gate)' : ''),
    dash(p.deployedAt),
    dash(p.bakedUntil),
  ]);

/** `healthy at … (dev-5xx-rate OK, dev-checkout-p99 OK)`, or `not checked yet`. */
export const healthText = (health: RolloutHealthView | null | undefined, consecutiveUnknown = 0): string => {
  if (!health) return 'not checked yet';
  const alarms = health.alarms.map((a) => `${a.name} ${a.state}`).join(', ');
  const streak =
    health.verdict === 'unknown' && consecutiveUnknown > 0 ? ` ${consecutiveUnknown} in a row` : '';
  return [
    `${health.verdict}${streak} at ${health.at}`,
    health.reason ? `: ${health.reason}` : '',
    alarms ? ` (${alarms})` : '',
  ].join('');
};

export const EVENT_HEADER = ['AT', 'EVENT', 'PHASE', 'ENV', 'DETAIL'];

export const eventRows = (events: readonly RolloutEventView[]): string[][] =>
  events.map((e) => [e.at, e.type, dash(e.phase), dash(e.environment), e.detail]);

export const LIST_HEADER = ['ID', 'BUNDLE', 'STRATEGY', 'STATUS', 'PHASE', 'STARTED', 'BY'];

export const summaryRows = (rollouts: readonly RolloutListItem[]): string[][] =>
  rollouts.map((r) => [
    r.id,
    dash(r.bundle),
    dash(r.strategy),
    r.status,
    dash(r.currentPhase),
    dash(r.startedAt),
    dash(r.startedBy),
  ]);

/** What `rollout start` says: the id, where it stands, the first phase and the next commands. */
export const startedLines = (view: RolloutView): string[] => {
  const first = view.phases[0];
  return [
    `rollout ${view.id} of ${view.release === undefined ? dash(view.bundle) : `release ${view.release}`} with strategy ${dash(view.strategy)}: ${statusText(view)}`,
    ...(first
      ? [`first phase ${first.name} (${first.environments.join(', ')}), then ${view.phases.length - 1} more`]
      : []),
    `follow it: convoy rollout watch ${view.id}`,
  ];
};
