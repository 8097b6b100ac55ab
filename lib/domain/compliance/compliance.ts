/**
 * Compliance: the freeze compliance report. Every change made while a window applied, judged by the
 * calendar as it stood then (calendar-history.ts folds the calendar's changes into versions) and
 * explained by the windows' allow lists or an override. Rendering it as Markdown or CSV belongs to the
 * HTTP contract (lib/api/formats).
 */
import { heldAt, type CalendarVersion } from './calendar-history.ts';
import type { ChangeKind } from '../freeze/change-kind.ts';
import { compileWindows, type AppliedWindow, type CompiledWindows } from '../freeze/freeze-status.ts';
import { parseInstant, toIso } from '../freeze/local-time.ts';
import type { Override } from '../overrides/override.ts';
import { overrideCovers } from '../overrides/override-use.ts';

export interface ComplianceChange {
  at: string;
  environment: string;
  kind: ChangeKind;
  deploymentId?: string;
  bundle?: string;
  principal: string;
  overrideId?: string;
  /** Namespaces the change touched, when known (otherwise every namespace-scoped window counts). */
  namespaces?: string[];
  teams?: string[];
}

export interface ComplianceRejection {
  at: string;
  environment: string;
  kind: ChangeKind;
  principal: string;
  windows: string[];
  reason: string;
}

/**
 * A release deployed (or rolled out, phase by phase) while teams had not signed it off: a release
 * manager's `--override-signoffs --reason ...`, as the deploy's audit event recorded it.
 */
export interface SignoffOverrideUse {
  at: string;
  environment: string;
  release: string;
  deploymentId?: string;
  /** The release manager who overrode the sign-offs. */
  principal: string;
  /** Who committed the deploy (the rollout workflow for a phase of a release rollout). */
  deployedBy: string;
  /** The teams whose sign-off was missing or no longer valid. */
  unsignedTeams: string[];
  /** Whether a release manager had approved the release. */
  approved: boolean;
  reason: string;
}

export interface ComplianceInput {
  /** The period, ISO instants, `to` exclusive. */
  from: string;
  to: string;
  changes: readonly ComplianceChange[];
  rejections: readonly ComplianceRejection[];
  overrides: readonly Override[];
  /** Every version of every window the calendar held (see calendar-history.ts). */
  calendar: readonly CalendarVersion[];
  /** Releases deployed without every sign-off (none when absent). */
  signoffOverrides?: readonly SignoffOverrideUse[];
}

export interface OverrideSummary {
  id: string;
  requester: string;
  approvers: string[];
  reason: string;
  ticket: string;
  requestedAt: string;
  approvedAt?: string;
  expiresAt?: string;
}

export interface ComplianceEntry extends ComplianceChange {
  windows: AppliedWindow[];
  override?: OverrideSummary;
  explained: boolean;
  /** Why the change is (or is not) explained, in words. */
  explanation: string;
}

export interface ComplianceReport {
  period: { from: string; to: string };
  changes: ComplianceEntry[];
  rejected: ComplianceRejection[];
  /** Every release deployed in the period without its sign-offs, frozen or not, oldest first. */
  signoffOverrides: SignoffOverrideUse[];
  unexplained: number;
}

const summary = (override: Override): OverrideSummary => ({
  id: override.id,
  requester: override.requester,
  approvers: override.approvals.map((a) => a.by),
  reason: override.reason,
  ticket: override.ticket,
  requestedAt: override.requestedAt,
  ...(override.approvedAt === undefined ? {} : { approvedAt: override.approvedAt }),
  ...(override.expiresAt === undefined ? {} : { expiresAt: override.expiresAt }),
});

/** Orders items whose `at` passed `parseInstant` (ISO 8601 with Z or an offset). */
const byTime = (a: { at: string }, b: { at: string }): number => Date.parse(a.at) - Date.parse(b.at);

/**
 * The calendar as it stood at an instant, compiled once per distinct set of versions: calendars change
 * rarely, so many changes share one.
 */
const calendarAt = (calendar: readonly CalendarVersion[]): ((at: number) => CompiledWindows) => {
  const compiled = new Map<string, CompiledWindows>();
  return (at) => {
    const held = calendar.flatMap((version, index) => (heldAt(version, at) ? [index] : []));
    const key = held.join(',');
    let windows = compiled.get(key);
    if (windows === undefined) {
      windows = compileWindows(held.map((index) => (calendar[index] as CalendarVersion).window));
      compiled.set(key, windows);
    }
    return windows;
  };
};

/**
 * Every change made in the period while a freeze window applied to it, with the windows, and what
 * explains it. A change is judged by the calendar as it stood when the change committed: a window added
 * later does not apply to it, and one removed later still does. It is explained when every window in
 * force permitted its kind (allow list, rollback), or an override that was
 * approved, inside its time box, scoped to the change, and not already used by an earlier change
 * (single-use). Anything else is unexplained; the goal is zero. Rejected attempts are listed as given,
 * and so is every release deployed in the period on a release manager's sign-off override.
 */
export const complianceReport = (input: ComplianceInput): ComplianceReport => {
  const from = parseInstant(input.from) ?? -Infinity;
  const to = parseInstant(input.to) ?? Infinity;
  const inPeriod = (item: { at: string }): boolean => {
    const at = parseInstant(item.at);
    return at !== null && at >= from && at < to;
  };
  const calendar = calendarAt(input.calendar);
  const overrides = new Map(input.overrides.map((o) => [o.id, o]));
  const usedBy = new Map<string, string>();
  const changes: ComplianceEntry[] = [];
  for (const change of input.changes.filter(inPeriod).sort(byTime)) {
    const query = {
      environment: change.environment,
      namespaces: change.namespaces,
      teams: change.teams,
      kind: change.kind,
    };
    const windows = calendar(parseInstant(change.at) as number).applying(query, change.at);
    if (windows.length === 0) continue;
    const blocking = windows.filter((w) => !w.permits).map((w) => w.id);
    const entry = (explained: boolean, explanation: string, override?: Override): ComplianceEntry => ({
      ...change,
      windows,
      ...(override === undefined ? {} : { override: summary(override) }),
      explained,
      explanation,
    });
    if (blocking.length === 0) {
      changes.push(
        entry(true, `permitted by ${windows.map((w) => w.id).join(', ')} (${change.kind} allowed)`),
      );
      continue;
    }
    const override = change.overrideId === undefined ? undefined : overrides.get(change.overrideId);
    if (change.overrideId === undefined || override === undefined) {
      const missing =
        change.overrideId === undefined ? 'no override' : `override ${change.overrideId} not found`;
      changes.push(entry(false, `${missing} during ${blocking.join(', ')}`));
      continue;
    }
    const covers = overrideCovers(override, {
      environment: change.environment,
      bundle: change.bundle,
      kind: change.kind,
      at: change.at,
    });
    const earlier = usedBy.get(override.id);
    if (!covers.usable) changes.push(entry(false, covers.message, override));
    else if (earlier !== undefined && !override.reusable) {
      changes.push(
        entry(false, `override ${override.id} is single-use and was already used at ${earlier}`, override),
      );
    } else {
      usedBy.set(override.id, toIso(parseInstant(change.at) as number));
      changes.push(
        entry(
          true,
          `override ${override.id} approved by ${summary(override).approvers.join(', ')}`,
          override,
        ),
      );
    }
  }
  return {
    period: { from: input.from, to: input.to },
    changes,
    rejected: input.rejections.filter(inPeriod).sort(byTime),
    signoffOverrides: (input.signoffOverrides ?? []).filter(inPeriod).sort(byTime),
    unexplained: changes.filter((c) => !c.explained).length,
  };
};
