import { compileWindow, scopeCovers } from '../freeze/compiled-window.ts';
import type { FreezeWindow } from '../freeze/freeze-window.ts';
import type { FreezeHit, FreezeScope } from './impact-model.ts';

/**
 * The freeze predicate impact analysis asks: every window whose scope covers one of the affected
 * environments (with the affected namespaces and teams) and that is in force at some instant of
 * [from, to]; `startsAt` is the start of its first such occurrence. Scope matching is the freeze
 * domain's own (globs, absent dimensions apply to everything).
 */
export const freezeHitsOf = (windows: readonly FreezeWindow[]) => {
  const compiled = windows.map(compileWindow);
  return (scope: FreezeScope): FreezeHit[] => {
    const hits: FreezeHit[] = [];
    for (const entry of compiled) {
      const covers = scope.environments.some((environment) =>
        scopeCovers(entry, { environment, namespaces: scope.namespaces, teams: scope.teams }),
      );
      if (!covers) continue;
      const [first] = entry.source().between(scope.from.getTime(), scope.to.getTime());
      if (first !== undefined) hits.push({ window: entry.window.id, startsAt: new Date(first.start) });
    }
    return hits;
  };
};
