import { durationSeconds, parseDuration } from '../core/duration.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { compileLinearRegex } from '../core/linear-regex.ts';
import type { LinearRegexRefusal } from '../core/linear-regex.ts';
import { formatPath } from '../core/zod-problems.ts';
import type { ParameterSchema } from './catalog.ts';
import { compileJsonSchema } from './json-schema.ts';
import { checkValue } from './parameter-value.ts';

/** Stable codes: not JavaScript regex syntax, or beyond a linear-time engine (backreferences...). */
const PATTERN_CODES: Record<LinearRegexRefusal['reason'], string> = {
  invalid: 'catalog.pattern-invalid',
  unsupported: 'catalog.pattern-unsupported',
};

/** `catalog.range-invalid` when both bounds are set and the lower one exceeds the upper one. */
const invertedBounds = (
  names: readonly [string, string],
  bounds: readonly [number | undefined, number | undefined],
  shown: readonly [unknown, unknown],
  where: { key: string; path: string },
): Problem[] => {
  const [low, high] = bounds;
  if (low === undefined || high === undefined || low <= high) return [];
  const message = `${names[0]} ${String(shown[0])} is greater than ${names[1]} ${String(shown[1])}`;
  return [problem('catalog.range-invalid', message, where)];
};

const durationBounds = (parameter: Extract<ParameterSchema, { type: 'duration' }>, at: string): Problem[] => {
  const problems: Problem[] = [];
  const seconds: Partial<Record<'min' | 'max', number>> = {};
  for (const side of ['min', 'max'] as const) {
    const text = parameter[side];
    if (text === undefined) continue;
    const parsed = parseDuration(text);
    const total = parsed && durationSeconds(parsed);
    if (total === undefined) {
      const why = parsed
        ? 'uses years or months, whose length varies; use days or weeks'
        : 'is not an ISO 8601 duration such as PT5M';
      problems.push(
        problem('catalog.range-invalid', `${side} ${JSON.stringify(text)} ${why}`, {
          key: parameter.key,
          path: `${at}.${side}`,
        }),
      );
    } else seconds[side] = total;
  }
  problems.push(
    ...invertedBounds(['min', 'max'], [seconds.min, seconds.max], [parameter.min, parameter.max], {
      key: parameter.key,
      path: at,
    }),
  );
  return problems;
};

/** Problems with the schema itself: constraints that cannot hold or cannot be compiled. */
const schemaProblems = (parameter: ParameterSchema, at: string): Problem[] => {
  const where = { key: parameter.key, path: at };
  switch (parameter.type) {
    case 'string': {
      const problems: Problem[] = [];
      const compiled = parameter.pattern === undefined ? undefined : compileLinearRegex(parameter.pattern);
      if (compiled && !compiled.ok) {
        problems.push(
          problem(PATTERN_CODES[compiled.reason], compiled.message, {
            key: parameter.key,
            path: `${at}.pattern`,
          }),
        );
      }
      const lengths = [parameter.minLength, parameter.maxLength] as const;
      problems.push(...invertedBounds(['minLength', 'maxLength'], lengths, lengths, where));
      return problems;
    }
    case 'integer':
    case 'number':
      return invertedBounds(
        ['min', 'max'],
        [parameter.min, parameter.max],
        [parameter.min, parameter.max],
        where,
      );
    case 'duration':
      return durationBounds(parameter, at);
    case 'json': {
      const compiled = parameter.schema && compileJsonSchema(parameter.schema);
      if (!compiled || compiled.ok) return [];
      if (compiled.patterns.length === 0) {
        return [
          problem('catalog.json-schema-invalid', `the JSON Schema is invalid: ${compiled.message}`, {
            key: parameter.key,
            path: `${at}.schema`,
          }),
        ];
      }
      return compiled.patterns.map((refused) =>
        problem(PATTERN_CODES[refused.reason], `the JSON Schema's ${refused.message}`, {
          key: parameter.key,
          path: `${at}.${formatPath(['schema', ...refused.path])}`,
        }),
      );
    }
    case 'boolean':
      return [];
  }
};

/**
 * A parameter's own rules: its constraints are valid and consistent, and a literal default fits them
 * (defaults with references are checked once resolved, by validateCatalog).
 */
export const parameterProblems = (parameter: ParameterSchema, at: string): Problem[] => {
  const problems = schemaProblems(parameter, at);
  if (problems.length > 0 || parameter.default === undefined) return problems;
  const misfit = checkValue(parameter, parameter.default);
  return misfit === undefined
    ? []
    : [
        problem('catalog.default-invalid', `default ${misfit}`, {
          key: parameter.key,
          path: `${at}.default`,
        }),
      ];
};
