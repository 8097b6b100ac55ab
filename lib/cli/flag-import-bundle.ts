import { KEY_PATTERN } from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { Segment } from '#domain/flags/constraint.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import type { UnleashImport } from '#domain/flags/unleash-import.ts';

export interface BundleMeta {
  name: string;
  version: string;
  release: string;
  team: string;
  namespace?: string;
}

export interface ImportedBundle {
  bundle: {
    name: string;
    version: string;
    release: string;
    team: string;
    description: string;
    changes: { set: string; value: FlagDefinition }[];
  };
  segments: Record<string, Segment>;
  /** The import's problems, plus the flag keys the catalog will refuse. */
  problems: Problem[];
}

/** The catalog key of an Unleash feature: `<namespace>.<name>`, characters keys refuse turned into `_`. */
export const flagKey = (name: string, namespace?: string): string => {
  const clean = name
    .split('.')
    .map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_'))
    .join('.');
  return namespace === undefined ? clean : `${namespace}.${clean}`;
};

/** The imported flags as one bundle of `set` changes (prerequisites renamed to the same keys). */
export const importedBundle = (imported: UnleashImport, meta: BundleMeta): ImportedBundle => {
  const keyOf = (name: string): string => flagKey(name, meta.namespace);
  const problems = [...imported.problems];
  const names = Object.keys(imported.flags).sort();
  const changes = names.map((name) => {
    const flag = imported.flags[name] as FlagDefinition;
    const key = keyOf(name);
    if (!KEY_PATTERN.test(key)) {
      problems.push({
        code: 'flag-import.key',
        key,
        message: `${name} is not a catalog key (namespace.name); pass --namespace or rename it before pushing`,
        severity: 'warning',
      });
    }
    const prerequisites = flag.prerequisites.map((p) => ({ ...p, flag: keyOf(p.flag) }));
    return { set: key, value: { ...flag, prerequisites } };
  });
  return {
    bundle: {
      name: meta.name,
      version: meta.version,
      release: meta.release,
      team: meta.team,
      description: `Imported from Unleash: ${names.length} flag(s).`,
      changes,
    },
    segments: imported.segments,
    problems,
  };
};
