import type { BundleSource, Change, SealedBundle } from '../bundles/bundle.ts';
import { applyBundle, emptySnapshot, type Snapshot } from '../bundles/snapshot.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { formatBundleRef } from '../core/names.ts';
import type { JsonValue } from '../core/json.ts';
import type { SignoffStatus } from './signoff.ts';

/** One key a bundle changes, with its value before and after (masked when the catalog says sensitive). */
export interface KeyNote {
  key: string;
  kind: 'parameter' | 'flag';
  /** set, delete, or the flag patch applied (enable, disable, rules, split). */
  action: 'set' | 'delete' | 'enable' | 'disable' | 'rules' | 'split';
  /** Absent when the key has no value at all, or (before) when no environment was named. */
  before?: JsonValue;
  after?: JsonValue;
  /** Which of before and after is the catalog's default (the key has no explicit value there). */
  defaulted?: ('before' | 'after')[];
  masked: boolean;
}

export interface BundleNote {
  bundle: string;
  team: string;
  description?: string;
  tickets: string[];
  source?: BundleSource;
  changes: KeyNote[];
}

export interface TeamNote {
  team: string;
  signoff: 'signed' | 'stale' | 'missing' | 'not-required';
  signedBy?: string;
  bundles: BundleNote[];
}

export interface ReleaseNotes {
  release: string;
  description?: string;
  /** The environment whose HEAD gave the values before; absent: values after only. */
  environment?: string;
  teams: TeamNote[];
  approval: { state: 'signed' | 'stale' | 'missing'; by?: string };
}

export interface ReleaseNotesInput {
  release: string;
  description?: string;
  /** The release's bundles in plan order. */
  sealed: readonly SealedBundle[];
  catalog: Catalog;
  environment?: { name: string; snapshot: Snapshot };
  signoffs: SignoffStatus;
}

export const MASK = '••••••';

const actionOf = (change: Change): { key: string; action: KeyNote['action'] } => {
  if ('set' in change) return { key: change.set, action: 'set' };
  if ('delete' in change) return { key: change.delete, action: 'delete' };
  if ('enable' in change) return { key: change.flag, action: 'enable' };
  if ('disable' in change) return { key: change.flag, action: 'disable' };
  return { key: change.flag, action: 'rules' in change ? 'rules' : 'split' };
};

/**
 * What a release changes, per team and bundle, in plan order: each bundle's keys with their values
 * before it (the environment's HEAD with the earlier bundles of the release applied) and after it.
 */
export const releaseNotes = (input: ReleaseNotesInput): ReleaseNotes => {
  const index = indexCatalog(input.catalog);
  let current = input.environment?.snapshot ?? emptySnapshot();
  const known = input.environment !== undefined;
  const byTeam = new Map<string, BundleNote[]>();
  for (const sealed of input.sealed) {
    const next = applyBundle(current, sealed);
    const { bundle } = sealed;
    const changes = bundle.changes.map((change): KeyNote => {
      const { key, action } = actionOf(change);
      const masked = index.parameters.get(key)?.sensitive === true;
      const fallback = index.defaults.get(key);
      const defaulted: ('before' | 'after')[] = [];
      const valueIn = (snapshot: Snapshot, side: 'before' | 'after'): JsonValue | undefined => {
        const explicit = snapshot.values[key];
        if (explicit === undefined && fallback !== undefined) defaulted.push(side);
        const value = explicit ?? fallback;
        return value !== undefined && masked ? MASK : value;
      };
      const before = known ? valueIn(current, 'before') : undefined;
      const after = valueIn(next, 'after');
      return {
        key,
        kind: index.flags.has(key) ? 'flag' : 'parameter',
        action,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
        ...(defaulted.length > 0 ? { defaulted } : {}),
        masked,
      };
    });
    const note: BundleNote = {
      bundle: formatBundleRef(bundle),
      team: bundle.team,
      ...(bundle.description === undefined ? {} : { description: bundle.description }),
      tickets: bundle.tickets ?? [],
      ...(bundle.source === undefined ? {} : { source: bundle.source }),
      changes,
    };
    byTeam.set(bundle.team, [...(byTeam.get(bundle.team) ?? []), note]);
    current = next;
  }
  const signoffs = new Map(input.signoffs.teams.map((t) => [t.team, t]));
  const teams = [...byTeam].map(([team, bundles]): TeamNote => {
    const signoff = signoffs.get(team);
    return {
      team,
      signoff: signoff?.state ?? 'not-required',
      ...(signoff?.state === 'signed' && signoff.signoff ? { signedBy: signoff.signoff.principal } : {}),
      bundles,
    };
  });
  const { approval } = input.signoffs;
  return {
    release: input.release,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.environment ? { environment: input.environment.name } : {}),
    teams,
    approval: {
      state: approval.state,
      ...(approval.state === 'signed' && approval.approval ? { by: approval.approval.principal } : {}),
    },
  };
};
