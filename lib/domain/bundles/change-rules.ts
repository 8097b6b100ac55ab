import type { CatalogIndex } from '../catalog/catalog-index.ts';
import { checkValue } from '../catalog/parameter-value.ts';
import { namespaceOf } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { closest } from '../core/suggest.ts';
import type { Bundle } from './bundle.ts';
import { changedKey } from './parse-bundle.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * Suggestions cost an edit-distance search each; past this many in one validation the messages
 * go without one (a bundle with hundreds of unknown keys has a bigger problem than typos).
 */
export const MAX_SUGGESTIONS = 50;

/** Hands out suggestions until the budget is spent. */
export const suggester = (): ((input: string, candidates: Iterable<string>) => string) => {
  let left = MAX_SUGGESTIONS;
  return (input, candidates) => {
    if (left <= 0) return '';
    left -= 1;
    const match = closest(input, candidates);
    return match === undefined ? '' : `; did you mean ${match}?`;
  };
};

/**
 * Rules for each change on its own: the key is known (or a cleanup delete of a key the environment
 * still has), its namespace exists and is owned by the bundle's team, and a set value fits.
 */
export const changeProblems = (
  bundle: Bundle,
  index: CatalogIndex,
  environment: { name: string; snapshot: Snapshot } | undefined,
  suggest: ReturnType<typeof suggester>,
): Problem[] => {
  const problems: Problem[] = [];
  if (!index.teams.has(bundle.team)) {
    const message = `team ${bundle.team} is not in the catalog${suggest(bundle.team, index.teams)}`;
    problems.push(problem('team.unknown', message, { path: 'team' }));
  }
  bundle.changes.forEach((change, i) => {
    const key = changedKey(change);
    const at = { key, path: `changes[${i}]` };
    const namespace = namespaceOf(key);
    const owner = index.namespaces.get(namespace);
    if (owner === undefined) {
      const message = `namespace ${namespace} of ${key} is not in the catalog${suggest(namespace, index.namespaces.keys())}`;
      problems.push(problem('namespace.unknown', message, at));
      return;
    }
    if (owner !== bundle.team) {
      const message = `team ${bundle.team} does not own namespace ${namespace} (owned by ${owner}); ask ${owner} to change ${key}`;
      problems.push(problem('namespace.not-owned', message, at));
    }
    // Flag definitions and patches are checked as flags once applied (flag-rules.ts).
    if (index.flags.has(key)) return;
    if ('flag' in change) {
      const message = `${key} is not a flag in the catalog${suggest(key, index.flags.keys())}`;
      problems.push(problem('flag.unknown', message, at));
      return;
    }
    const parameter = index.parameters.get(key);
    if (parameter) {
      const misfit = 'set' in change ? checkValue(parameter, change.value) : undefined;
      if (misfit !== undefined)
        problems.push(problem('value.invalid', `${key} ${misfit}`, { key, path: `${at.path}.value` }));
      return;
    }
    if ('delete' in change && environment && Object.hasOwn(environment.snapshot.values, key)) return;
    const suggestion = suggest(key, index.keysByNamespace.get(namespace) ?? []);
    if ('set' in change) {
      problems.push(problem('key.unknown', `unknown key ${key}${suggestion}`, at));
    } else if (environment) {
      const message = `unknown key ${key}: it is neither in the catalog nor set in ${environment.name}${suggestion}`;
      problems.push(problem('key.unknown', message, at));
    } else {
      // Offline there is no snapshot to tell a cleanup from a typo.
      const message = `unknown key ${key}: deleting it works only where an environment still has it${suggestion}`;
      problems.push({ ...problem('key.unknown', message, at), severity: 'warning' });
    }
  });
  return problems;
};
