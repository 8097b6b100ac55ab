import { namespaceOf } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { validateFlags } from '../flags/validate.ts';
import type { Catalog } from './catalog.ts';

/**
 * Flags and segments of a catalog: a flag key is not also a parameter, its namespace is declared,
 * and every segment's constraints are readable by the operators (validateFlags' codes).
 */
export const flagCatalogProblems = (
  catalog: Catalog,
  parameters: ReadonlySet<string>,
  namespaces: ReadonlySet<string>,
): Problem[] => {
  const problems: Problem[] = [];
  (catalog.flags ?? []).forEach((flag, i) => {
    const at = { key: flag.key, path: `flags[${i}].key` };
    if (parameters.has(flag.key))
      problems.push(
        problem('catalog.duplicate', `${flag.key} is declared both as a parameter and as a flag`, at),
      );
    const namespace = namespaceOf(flag.key);
    if (!namespaces.has(namespace))
      problems.push(
        problem(
          'catalog.namespace-undeclared',
          `namespace ${namespace} of ${flag.key} is not declared in namespaces`,
          at,
        ),
      );
  });
  problems.push(...validateFlags({}, catalog.segments ?? {}, catalog.context).problems);
  return problems;
};
