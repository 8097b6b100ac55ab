import type { ReleaseResponse } from '#api/releases.ts';
import type { ReleaseSummary } from '#domain/releases/release-list.ts';
import type { BundleCell } from '#domain/releases/environment-status.ts';
import type { SignoffState } from '#domain/releases/signoff.ts';
import { alignRows } from './output.ts';

/** `convoy release list`: one row per release, with a header. */
export const releaseListRows = (releases: readonly ReleaseSummary[]): string[][] => [
  ['RELEASE', 'TARGET', 'BUNDLES', 'TEAMS', 'PROGRESS', 'PARTIAL', 'SIGNED OFF', 'READY'],
  ...releases.map((r) => [
    r.release,
    r.targetDate ?? '-',
    String(r.bundles),
    r.teams.join(',') || '-',
    r.progress,
    r.partial.join(',') || '-',
    r.signedOff ? 'yes' : 'no',
    r.ready ? 'yes' : 'no',
  ]),
];

export const releaseListLines = (releases: readonly ReleaseSummary[]): string[] =>
  releases.length === 0
    ? ['No releases. Label bundles with `release:` or define one with `convoy release define <file>`.']
    : alignRows(releaseListRows(releases));

const cellText = (cell: BundleCell | undefined): string => {
  if (cell === undefined) return '-';
  if (cell.state === 'live') return 'live';
  if (cell.state === 'absent') return 'missing';
  return `missing (@${cell.live} live)`;
};

const signoffMark = (state: SignoffState): string =>
  state === 'signed' ? '✓ signed' : state === 'stale' ? '! stale' : '✗ missing';

const matrixLines = (state: ReleaseResponse): string[] => {
  const header = ['ENVIRONMENT', ...state.bundles.map((b) => `${b.name}@${b.version}`), 'STATUS'];
  const rows = state.environments.map((env) => [
    env.environment,
    ...state.bundles.map((b) => cellText(env.bundles.find((c) => c.name === b.name))),
    env.status === 'partial' ? 'PARTIAL' : env.status,
  ]);
  return alignRows([header, ...rows]);
};

const restoresText = (restores: { deployment: string | null } | undefined): string => {
  if (restores === undefined) return '';
  return restores.deployment === null ? ' (to the empty initial state)' : ` (to ${restores.deployment})`;
};

const partialLines = (state: ReleaseResponse): string[] =>
  state.environments
    .filter((env) => env.status === 'partial')
    .flatMap((env) => [
      `${env.environment} is partial: only some of ${state.release} is live. Ways out:`,
      ...env.waysOut.map((way) =>
        way.kind === 'deploy-rest'
          ? `  deploy the rest (${way.bundles.join(', ')}):  ${way.command}`
          : `  roll back${restoresText(way.restores)}:  ${way.command}`,
      ),
    ]);

/**
 * `convoy status`: every environment holding part of a release, with its two ways out as commands
 * (nothing when no release is partial anywhere).
 */
export const partialReleaseLines = (states: readonly ReleaseResponse[]): string[] => {
  const lines = states.flatMap(partialLines);
  return lines.length === 0 ? [] : ['PARTIAL RELEASES', ...lines];
};

const signoffLines = (state: ReleaseResponse): string[] => {
  const { teams, approval } = state.signoffs;
  const rows = teams.map((t) => [
    `team ${t.team}`,
    signoffMark(t.state),
    t.signoff ? `by ${t.signoff.principal} at ${t.signoff.at}` : '',
    t.changed ? `(${t.changed.join('; ')})` : (t.signoff?.note ?? ''),
  ]);
  rows.push([
    'approval',
    signoffMark(approval.state),
    approval.approval ? `by ${approval.approval.principal} at ${approval.approval.at}` : '',
    approval.changed ? `(${approval.changed.join('; ')})` : (approval.approval?.note ?? ''),
  ]);
  return alignRows(rows).map((line) => `  ${line}`);
};

const readinessLines = (state: ReleaseResponse): string[] => [
  state.readiness.ready ? 'Ready to deploy.' : 'Not ready:',
  ...state.readiness.reasons.map((r) => `  ${(r.severity ?? 'error') === 'error' ? '✗' : '!'} ${r.message}`),
];

/** `convoy release status`: headline, the environments × bundles matrix, ways out, sign-offs, readiness. */
export const releaseStatusLines = (state: ReleaseResponse): string[] => {
  const target = state.manifest?.targetDate;
  const lines = [
    `Release ${state.release}${target ? ` (target ${target})` : ''}: ${state.bundles.length} bundle(s) from ${state.teams.join(', ') || 'no team'}, ${state.progress}`,
  ];
  if (state.bundles.length > 0) lines.push('', ...matrixLines(state));
  for (const m of state.missing) {
    lines.push(`  not pushed: ${m.name}${m.version === undefined ? '' : `@${m.version}`}`);
  }
  const partial = partialLines(state);
  if (partial.length > 0) lines.push('', ...partial);
  for (const f of state.freezes)
    lines.push(`Freeze ${f.name} (${f.start} – ${f.end}) overlaps the target date.`);
  lines.push('', 'Sign-offs:', ...signoffLines(state), '', ...readinessLines(state));
  return lines;
};
