import { Ajv } from 'ajv';
import type { CodeOptions, ValidateFunction } from 'ajv';
import { canonicalJson } from '../core/json.ts';
import type { JsonObject, JsonValue } from '../core/json.ts';
import { compileLinearRegex } from '../core/linear-regex.ts';
import type { LinearRegexRefusal } from '../core/linear-regex.ts';

/** A `pattern` (or `patternProperties` name) the linear-time engine refuses, and where in the schema. */
export interface RefusedPattern {
  path: readonly (string | number)[];
  reason: LinearRegexRefusal['reason'];
  message: string;
}

export type CompiledSchema =
  | { ok: true; validate: ValidateFunction }
  | { ok: false; message: string; patterns: readonly RefusedPattern[] };

/**
 * Ajv's regular-expression engine: every schema pattern runs in linear time (see linear-regex.ts).
 * Ajv passes "u" as flags (unicodeRegExp is on), which is how patterns are always read. `code` is what
 * standalone code would call; Convoy never generates standalone code, so it only names the engine.
 */
export const linearRegExp: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string) => {
    const compiled = compileLinearRegex(pattern);
    if (!compiled.ok) throw new Error(compiled.message);
    return compiled.regex;
  },
  { code: 'compileLinearRegex' },
);

// Keywords whose value is a schema or a list of schemas, and those mapping names to schemas.
const IN_PLACE = new Set([
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'contains',
  'contentSchema',
  'else',
  'if',
  'items',
  'not',
  'oneOf',
  'prefixItems',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const BY_NAME = new Set([
  '$defs',
  'definitions',
  'dependencies',
  'dependentSchemas',
  'patternProperties',
  'properties',
]);

const isObject = (value: JsonValue): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every pattern the linear-time engine refuses in a schema, with its path, so a catalog can name it. */
const refusedPatterns = (schema: JsonValue, path: (string | number)[] = []): RefusedPattern[] => {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => refusedPatterns(item, [...path, i]));
  if (!isObject(schema)) return [];
  const found: RefusedPattern[] = [];
  const check = (pattern: string, at: (string | number)[]): void => {
    const compiled = compileLinearRegex(pattern);
    if (!compiled.ok) found.push({ path: at, reason: compiled.reason, message: compiled.message });
  };
  if (typeof schema.pattern === 'string') check(schema.pattern, [...path, 'pattern']);
  for (const [keyword, value] of Object.entries(schema)) {
    if (IN_PLACE.has(keyword)) found.push(...refusedPatterns(value, [...path, keyword]));
    if (!BY_NAME.has(keyword) || !isObject(value)) continue;
    for (const [name, sub] of Object.entries(value)) {
      if (keyword === 'patternProperties') check(name, [...path, keyword, name]);
      found.push(...refusedPatterns(sub, [...path, keyword, name]));
    }
  }
  return found;
};

/**
 * Strict, so typos such as `minimun` are catalog problems rather than silently ignored keywords;
 * formats are not validated (no format plugins), and nothing is logged.
 */
const newAjv = (): Ajv =>
  new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    validateFormats: false,
    logger: false,
    code: { regExp: linearRegExp },
  });

const CACHE_LIMIT = 500;
let ajv = newAjv();
const byContent = new Map<string, CompiledSchema>();
const byObject = new WeakMap<object, CompiledSchema>();

/**
 * Compile an embedded JSON Schema once per content. Catalogs are re-read per request, so the cache is
 * keyed by canonical JSON; past the limit it starts over with a fresh Ajv, which bounds memory.
 */
export const compileJsonSchema = (schema: JsonObject): CompiledSchema => {
  const known = byObject.get(schema);
  if (known) return known;
  const key = canonicalJson(schema);
  let compiled = byContent.get(key);
  if (!compiled) {
    if (byContent.size >= CACHE_LIMIT) {
      byContent.clear();
      ajv = newAjv();
    }
    const patterns = refusedPatterns(schema);
    if (patterns.length > 0) {
      compiled = { ok: false, message: patterns.map((p) => p.message).join('; '), patterns };
    } else {
      try {
        compiled = { ok: true, validate: ajv.compile(schema) };
      } catch (error) {
        compiled = { ok: false, message: (error as Error).message, patterns: [] };
      } finally {
        // Drop Ajv's own registration so two catalogs may reuse an $id.
        ajv.removeSchema(schema);
      }
    }
    byContent.set(key, compiled);
  }
  byObject.set(schema, compiled);
  return compiled;
};

/** Undefined when the value fits; otherwise why not, e.g. "value/retries must be integer". */
export const jsonSchemaViolation = (validate: ValidateFunction, value: JsonValue): string | undefined =>
  validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'value', separator: '; ' });
