import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { canonicalJson } from '../core/json.ts';
import type { JsonObject, JsonValue } from '../core/json.ts';

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

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
    try {
      compiled = { ok: true, validate: ajv.compile(schema) };
    } catch (error) {
      compiled = { ok: false, message: (error as Error).message };
    } finally {
      // Drop Ajv's own registration so two catalogs may reuse an $id.
      ajv.removeSchema(schema);
    }
    byContent.set(key, compiled);
  }
  byObject.set(schema, compiled);
  return compiled;
};

/** Undefined when the value fits; otherwise why not, e.g. "value/retries must be integer". */
export const jsonSchemaViolation = (validate: ValidateFunction, value: JsonValue): string | undefined =>
  validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'value', separator: '; ' });
