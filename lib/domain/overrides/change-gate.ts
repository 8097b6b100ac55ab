import type { ChangeKind, FreezeLevel } from '../freeze/change-kind.ts';
import type { FreezeStatus, MatchingWindow } from '../freeze/freeze-status.ts';
import { inFlightPermits, type InFlightContext } from '../freeze/in-flight.ts';
import type { Override } from './override.ts';
import { expireOverride } from './override-decision.ts';
import { checkOverrideUse, type OverrideUseRefusal } from './override-use.ts';

/** A change about to commit to an environment. */
export interface GatedChange {
  environment: string;
  kind: ChangeKind;
  /** `name@version` when the change deploys a bundle. */
  bundle?: string;
  /** A `rollout-phase` of a rollout in flight: windows that began after it started apply their inFlight policy. */
  inFlight?: InFlightContext;
}

/** A window as a refusal names it. */
export interface WindowSummary {
  id: string;
  name: string;
  level: FreezeLevel;
  start: string;
  end: string;
}

export type GateRefusalCode = OverrideUseRefusal | 'override.level-mismatch';

export type GateVerdict =
  /** No window freezes the change. */
  | { outcome: 'open' }
  /** Frozen only by windows that began mid-rollout and whose inFlight policy lets this phase go on. */
  | { outcome: 'in-flight'; windows: WindowSummary[] }
  /** Frozen, and the override lets it through: consume it in the commit. */
  | { outcome: 'override'; override: Override }
  /** Frozen and no override given. */
  | {
      outcome: 'frozen';
      level: FreezeLevel;
      windows: WindowSummary[];
      message: string;
      howToOverride: string;
    }
  /** Frozen, and the override given cannot be used. */
  | {
      outcome: 'refused';
      code: GateRefusalCode;
      level: FreezeLevel;
      windows: WindowSummary[];
      message: string;
      howToOverride: string;
    };

const summary = (w: MatchingWindow): WindowSummary => ({
  id: w.id,
  name: w.name,
  level: w.level,
  start: w.start,
  end: w.end,
});

const quote = (text: string): string => (/^[A-Za-z0-9@._:/-]+$/.test(text) ? text : `"${text}"`);

/** The exact `convoy` command that requests an override for this change. */
export const howToOverride = (change: GatedChange): string => {
  const scope = change.bundle === undefined ? `--kind ${change.kind}` : `--bundle ${quote(change.bundle)}`;
  return (
    `convoy override request --env ${change.environment} ${scope} --reason "<why this cannot wait>" ` +
    `--ticket <ticket>; once approved, retry with --override <id>`
  );
};

const windowList = (windows: readonly WindowSummary[]): string =>
  windows.map((w) => `${w.name} (${w.id}, ${w.level}, until ${w.end})`).join(', ');

/**
 * May a change commit now? Not frozen: yes. A rollout phase frozen only by windows whose inFlight
 * policy permits it: yes (`in-flight`). Frozen: only with an override that is approved, inside its
 * time box, unused (unless reusable), scoped to the change and approved for a freeze at least as strict
 * as the one in force (an override approved for a soft freeze does not pass a hard one).
 * `status` is freezeStatus for the change at `at` (the commit time).
 */
export const gateChange = (
  status: FreezeStatus,
  change: GatedChange,
  override: Override | undefined,
  at: string | number,
): GateVerdict => {
  if (!status.frozen || status.level === null) return { outcome: 'open' };
  const level = status.level;
  const windows = status.windows.map(summary);
  const inFlight = change.kind === 'rollout-phase' ? change.inFlight : undefined;
  if (inFlight && status.windows.every((w) => inFlightPermits(w, inFlight)))
    return { outcome: 'in-flight', windows };
  const hint = howToOverride(change);
  const frozenText = `${change.environment} is frozen (${level}) for ${change.kind} by ${windowList(windows)}`;
  if (override === undefined) {
    return {
      outcome: 'frozen',
      level,
      windows,
      message: `${frozenText}. ${level === 'hard' ? 'Only an emergency override passes' : 'An approved override passes'}: ${hint}.`,
      howToOverride: hint,
    };
  }
  const refuse = (code: GateRefusalCode, reason: string): GateVerdict => ({
    outcome: 'refused',
    code,
    level,
    windows,
    message: `${frozenText}, and ${reason}.`,
    howToOverride: hint,
  });
  const current = expireOverride(override, at);
  const check = checkOverrideUse(current, { ...change, at });
  if (!check.usable) return refuse(check.code, check.message);
  if (level === 'hard' && current.level === 'soft') {
    return refuse(
      'override.level-mismatch',
      `override ${current.id} was approved for a soft freeze; a hard window needs an emergency override`,
    );
  }
  return { outcome: 'override', override: current };
};
