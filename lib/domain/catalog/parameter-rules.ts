import { durationSeconds, parseDuration } from '../core/duration.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import type { ParameterSchema } from './catalog.ts';
import { compileJsonSchema } from './json-schema.ts';
import { checkValue, compilePattern } from './parameter-value.ts';

const minAboveMax = (min: number | undefined, max: number | undefined): boolean =>
  min !== undefined && max !== undefined && min > max;

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
  if (minAboveMax(seconds.min, seconds.max)) {
    problems.push(
      problem(
        'catalog.range-invalid',
        `min ${parameter.min ?? ''} is greater than max ${parameter.max ?? ''}`,
        { key: parameter.key, path: at },
      ),
    );
  }
  return problems;
};

/** Problems with the schema itself: constraints that cannot hold or cannot be compiled. */
const schemaProblems = (parameter: ParameterSchema, at: string): Problem[] => {
  const where = { key: parameter.key, path: at };
  switch (parameter.type) {
    case 'string': {
      const problems: Problem[] = [];
      if (parameter.pattern !== undefined && !compilePattern(parameter.pattern)) {
        problems.push(
          problem(
            'catalog.pattern-invalid',
            `pattern /${parameter.pattern}/ is not a valid regular expression`,
            { key: parameter.key, path: `${at}.pattern` },
          ),
        );
      }
      if (minAboveMax(parameter.minLength, parameter.maxLength)) {
        problems.push(
          problem(
            'catalog.range-invalid',
            `minLength ${parameter.minLength ?? ''} is greater than maxLength ${parameter.maxLength ?? ''}`,
            where,
          ),
        );
      }
      return problems;
    }
    case 'integer':
    case 'number':
      return minAboveMax(parameter.min, parameter.max)
        ? [
            problem(
              'catalog.range-invalid',
              `min ${parameter.min ?? ''} is greater than max ${parameter.max ?? ''}`,
              where,
            ),
          ]
        : [];
    case 'duration':
      return durationBounds(parameter, at);
    case 'json': {
      const compiled = parameter.schema && compileJsonSchema(parameter.schema);
      return compiled && !compiled.ok
        ? [
            problem('catalog.json-schema-invalid', `the JSON Schema is invalid: ${compiled.message}`, {
              key: parameter.key,
              path: `${at}.schema`,
            }),
          ]
        : [];
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
