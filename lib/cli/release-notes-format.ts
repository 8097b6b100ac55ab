import type { JsonValue } from '#domain/core/json.ts';
import { MASK } from '#domain/releases/release-notes.ts';
import type { BundleNote, KeyNote, ReleaseNotes, TeamNote } from '#domain/releases/release-notes.ts';

const MAX_CELL = 80;

/** A flag definition in a cell: its state, rule count and default variant (JSON has the whole). */
const flagSummary = (value: JsonValue): string => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(value);
  const state = value.killed === true ? 'killed' : value.enabled === false ? 'off' : 'on';
  const rules = Array.isArray(value.rules) ? value.rules.length : 0;
  const fallback = typeof value.defaultVariant === 'string' ? `, default ${value.defaultVariant}` : '';
  return `${state}, ${rules} rule${rules === 1 ? '' : 's'}${fallback}`;
};

/** A value in a table cell: compact JSON (a flag summarised), shortened, `|` escaped; `—` for none. */
const cell = (change: KeyNote, side: 'before' | 'after'): string => {
  const value = change[side];
  if (value === undefined) return '—';
  const text = change.masked ? MASK : change.kind === 'flag' ? flagSummary(value) : JSON.stringify(value);
  const short = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
  const note = change.defaulted?.includes(side) ? ' (default)' : '';
  return `${short.replaceAll('|', '\\|')}${note}`;
};

const teamHeading = (team: TeamNote): string => {
  const by = team.signedBy === undefined ? '' : ` by ${team.signedBy}`;
  const state = {
    signed: `signed off${by}`,
    stale: 'sign-off stale (a bundle changed since)',
    missing: 'sign-off missing',
    'not-required': 'no sign-off required',
  }[team.signoff];
  return `## Team ${team.team}: ${state}`;
};

const bundleLines = (note: BundleNote): string[] => {
  const lines = [`### ${note.bundle}`, ''];
  if (note.description !== undefined) lines.push(note.description, '');
  if (note.tickets.length > 0) lines.push(`Tickets: ${note.tickets.join(', ')}`, '');
  if (note.source) {
    const { repository, commit, path } = note.source;
    lines.push(`Source: ${repository} @ ${commit.slice(0, 12)} (${path})`, '');
  }
  lines.push('| Key | Change | Before | After |', '|---|---|---|---|');
  for (const c of note.changes) {
    const key = c.masked ? `${c.key} (sensitive)` : c.key;
    lines.push(`| ${key} | ${c.action} | ${cell(c, 'before')} | ${cell(c, 'after')} |`);
  }
  lines.push('');
  return lines;
};

/** `convoy release notes --format md`: per team, each bundle's keys with their values before and after. */
export const releaseNotesMarkdown = (notes: ReleaseNotes): string => {
  const lines = [`# Release ${notes.release}`, ''];
  if (notes.description !== undefined) lines.push(notes.description, '');
  lines.push(
    notes.environment === undefined
      ? 'Values after the release only: pass `--env <env>` to compare with an environment.'
      : `Values before: ${notes.environment} as it is now.`,
    '',
  );
  const approval = notes.approval;
  const by = approval.by === undefined ? '' : ` by ${approval.by}`;
  lines.push(
    `Release manager approval: ${approval.state === 'signed' ? `approved${by}` : approval.state}`,
    '',
  );
  for (const team of notes.teams) lines.push(teamHeading(team), '', ...team.bundles.flatMap(bundleLines));
  return `${lines.join('\n').trimEnd()}\n`;
};
