import type { PhaseStatus } from '#domain/rollout/state.ts';
import { alignRows } from './output.ts';
import { statusText } from './rollout-format.ts';
import type {
  RolloutEventView,
  RolloutHealthView,
  RolloutPhaseView,
  RolloutView,
} from '#api/rollout-view.ts';

type Colour = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';

export interface WatchRenderOptions {
  /** Colours the marks and verdicts (identity by default: plain text). */
  style?: (format: Colour, text: string) => string;
  /** How many of the latest events to show. @default 5 */
  events?: number;
  /** Characters of a progress bar. @default 24 */
  barWidth?: number;
}

const MARKS: Record<PhaseStatus, [string, Colour]> = {
  pending: ['◌', 'dim'],
  deploying: ['▸', 'cyan'],
  baking: ['▸', 'cyan'],
  'awaiting-approval': ['⧗', 'yellow'],
  baked: ['✓', 'green'],
  'rolled-back': ['✗', 'red'],
  skipped: ['–', 'dim'],
};

const ALARM_MARKS: Record<string, [string, Colour]> = {
  OK: ['✓', 'green'],
  ALARM: ['✗', 'red'],
  INSUFFICIENT_DATA: ['?', 'yellow'],
};

const VERDICT_COLOURS: Record<RolloutHealthView['verdict'], Colour> = {
  healthy: 'green',
  unhealthy: 'red',
  unknown: 'yellow',
};

/** `2d03h`, `1h05m`, `9m45s`, `12s`: time left at a glance. */
export const formatLeft = (ms: number): string => {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (days > 0) return `${days}d${two(hours)}h`;
  if (hours > 0) return `${hours}h${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m${two(seconds)}s`;
  return `${seconds}s`;
};

/** `10:05:00` of an ISO instant (UTC), or the text as is when it is not one. */
export const timeOfDay = (at: string): string => {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : new Date(ms).toISOString().slice(11, 19);
};

/** How far a phase is through its bake, 0..1, by the clock. */
export const bakeProgress = (phase: RolloutPhaseView, now: Date): number => {
  if (phase.status === 'baked' || phase.status === 'awaiting-approval') return 1;
  if (phase.status !== 'baking' || phase.deployedAt === null || phase.bakedUntil === null) return 0;
  const from = Date.parse(phase.deployedAt);
  const to = Date.parse(phase.bakedUntil);
  if (!(to > from)) return 1;
  return Math.min(1, Math.max(0, (now.getTime() - from) / (to - from)));
};

export const progressBar = (fraction: number, width: number): string => {
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
};

const phaseLabel = (phase: RolloutPhaseView, fraction: number, now: Date): string => {
  if (phase.status !== 'baking') return phase.status.replace('-', ' ');
  const left = phase.bakedUntil === null ? 0 : Date.parse(phase.bakedUntil) - now.getTime();
  return `${Math.floor(fraction * 100)}%  ${left > 0 ? `${formatLeft(left)} left` : 'bake done, next check decides'}`;
};

const healthLines = (view: RolloutView, paint: Required<WatchRenderOptions>['style']): string[] => {
  const { health } = view;
  if (!health) return ['health  not checked yet'];
  const streak =
    health.verdict === 'unknown' && view.consecutiveUnknown > 0
      ? ` (${view.consecutiveUnknown} in a row)`
      : '';
  const reason = health.reason ? `: ${health.reason}` : '';
  return [
    `health  ${paint(VERDICT_COLOURS[health.verdict], health.verdict)}${streak} at ${timeOfDay(health.at)}${reason}`,
    ...health.alarms.map((alarm) => {
      const [mark, colour] = ALARM_MARKS[alarm.state] ?? ['?', 'yellow'];
      return `  ${paint(colour, mark)} ${alarm.name} ${alarm.state}`;
    }),
  ];
};

/** The line under the health: what the rollout waits for and how long. */
const nextLine = (view: RolloutView, now: Date): string | undefined => {
  const current = view.phases.find((p) => p.name === view.currentPhase);
  switch (view.status) {
    case 'awaiting-approval':
      return `gate    ${view.currentPhase ?? 'the phase'} waits for approval: convoy rollout approve ${view.id}`;
    case 'paused':
      return `paused  ${view.reason ? `${view.reason}; ` : ''}resume with convoy rollout resume ${view.id}`;
    case 'running': {
      if (current?.status !== 'baking' || current.bakedUntil === null) return undefined;
      const left = Date.parse(current.bakedUntil) - now.getTime();
      return `bake    ${current.name}: ${left > 0 ? `${formatLeft(left)} left` : 'done'} (until ${current.bakedUntil})`;
    }
    default:
      return undefined;
  }
};

export const eventLines = (events: readonly RolloutEventView[]): string[] =>
  alignRows(events.map((e) => [timeOfDay(e.at), e.type, e.phase ?? '-', e.environment ?? '-', e.detail]));

/**
 * One frame of `convoy rollout watch`: the header, a progress bar per phase (filled from deployedAt to
 * bakedUntil against `now`), the current health and alarms, the time left in the bake, and the
 * latest events. Pure: the caller decides where it goes (redrawn in place on a terminal).
 */
export const renderRolloutWatch = (
  view: RolloutView,
  now: Date,
  options: WatchRenderOptions = {},
): string => {
  const paint = options.style ?? ((_format: Colour, text: string): string => text);
  const width = options.barWidth ?? 24;
  const header = `rollout ${view.id}  ${view.bundle ?? '-'}  strategy ${view.strategy ?? '-'}  ${statusText(view)}`;
  const phases = alignRows(
    view.phases.map((phase) => {
      const [mark, colour] = MARKS[phase.status];
      const fraction = bakeProgress(phase, now);
      return [
        `  ${paint(colour, mark)} ${phase.name}`,
        phase.environments.join(','),
        `[${paint(colour, progressBar(fraction, width))}]`,
        phaseLabel(phase, fraction, now),
      ];
    }),
  );
  const next = nextLine(view, now);
  const recent = view.events.slice(-(options.events ?? 5));
  const lines = [
    paint('bold', header),
    ...phases,
    ...healthLines(view, paint),
    ...(next === undefined ? [] : [next]),
    ...(recent.length === 0 ? [] : ['recent', ...eventLines(recent).map((line) => `  ${line}`)]),
  ];
  return `${lines.join('\n')}\n`;
};
