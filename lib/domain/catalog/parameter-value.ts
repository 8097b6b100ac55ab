import { durationSeconds, parseDuration } from '../core/duration.ts';
import type { JsonValue } from '../core/json.ts';
import { compileLinearRegex } from '../core/linear-regex.ts';
import { hasReference } from '../dependencies/references.ts';
import type { ParameterSchema } from './catalog.ts';
import { compileJsonSchema, jsonSchemaViolation } from './json-schema.ts';

const show = (value: JsonValue): string => {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const got = (value: JsonValue): string =>
  value === null || typeof value !== 'object'
    ? `got ${show(value)}`
    : `got ${Array.isArray(value) ? 'an array' : 'an object'}`;

const range = (min: number | string | undefined, max: number | string | undefined): string => {
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  return max === undefined ? '' : ` <= ${max}`;
};

const checkNumber = (
  value: JsonValue,
  kind: 'an integer' | 'a number',
  min?: number,
  max?: number,
): string | undefined => {
  const fits =
    typeof value === 'number' &&
    (kind === 'a number' || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max);
  return fits ? undefined : `must be ${kind}${range(min, max)}, ${got(value)}`;
};

/** Length in code points, as JSON Schema counts it. */
const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

const checkString = (
  schema: Extract<ParameterSchema, { type: 'string' }>,
  value: JsonValue,
): string | undefined => {
  if (typeof value !== 'string') return `must be a string, ${got(value)}`;
  if (schema.enum && !schema.enum.includes(value)) {
    return `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, ${got(value)}`;
  }
  const length = codePoints(value);
  if (
    (schema.minLength !== undefined && length < schema.minLength) ||
    (schema.maxLength !== undefined && length > schema.maxLength)
  ) {
    return `must be a string of${range(schema.minLength, schema.maxLength)} characters, got ${length}`;
  }
  if (schema.pattern !== undefined) {
    // Unicode, unanchored like JSON Schema, and linear in the value's length (see linear-regex.ts).
    const compiled = compileLinearRegex(schema.pattern);
    if (!compiled.ok) return `cannot be checked: ${compiled.message}`;
    if (!compiled.regex.test(value)) return `must match /${schema.pattern}/, ${got(value)}`;
  }
  return undefined;
};

const DURATION_RULE = 'must be an ISO 8601 duration such as PT5M or P1DT2H';

const checkDuration = (
  schema: Extract<ParameterSchema, { type: 'duration' }>,
  value: JsonValue,
): string | undefined => {
  const duration = typeof value === 'string' ? parseDuration(value) : undefined;
  if (!duration) return `${DURATION_RULE}, ${got(value)}`;
  if (schema.min === undefined && schema.max === undefined) return undefined;
  const seconds = durationSeconds(duration);
  if (seconds === undefined) {
    return `must not use years or months (their length varies) because this parameter has bounds; use days or weeks, ${got(value)}`;
  }
  const bound = (text: string | undefined): number | undefined => {
    const parsed = text === undefined ? undefined : parseDuration(text);
    return parsed && durationSeconds(parsed);
  };
  const min = bound(schema.min);
  const max = bound(schema.max);
  if ((min !== undefined && seconds < min) || (max !== undefined && seconds > max)) {
    return `must be a duration${range(schema.min, schema.max)}, ${got(value)}`;
  }
  return undefined;
};

const checkJson = (
  schema: Extract<ParameterSchema, { type: 'json' }>,
  value: JsonValue,
): string | undefined => {
  if (!schema.schema) return undefined;
  const compiled = compileJsonSchema(schema.schema);
  if (!compiled.ok) return `cannot be checked: the parameter's JSON Schema is invalid (${compiled.message})`;
  const violation = jsonSchemaViolation(compiled.validate, value);
  return violation === undefined ? undefined : `does not match the parameter's JSON Schema: ${violation}`;
};

/**
 * Does a literal value fit its parameter's schema? Undefined when it does; otherwise a message that
 * names the rule, e.g. "must be an integer between 100 and 30000, got 50000". Values containing
 * `${…}` references are not checked here: they are checked once resolved.
 */
export const checkValue = (schema: ParameterSchema, value: JsonValue): string | undefined => {
  if (hasReference(value)) return undefined;
  switch (schema.type) {
    case 'string':
      return checkString(schema, value);
    case 'integer':
      return checkNumber(value, 'an integer', schema.min, schema.max);
    case 'number':
      return checkNumber(value, 'a number', schema.min, schema.max);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${got(value)}`;
    case 'duration':
      return checkDuration(schema, value);
    case 'json':
      return checkJson(schema, value);
  }
};
