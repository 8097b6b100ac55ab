import { parseDocument as parseYamlDocument } from 'yaml';
import { exceedsDepth, MAX_DEPTH } from './json.ts';
import { jsonErrorOffset } from './json-error-position.ts';
import { duplicateJsonKeys } from './json-keys.ts';
import { problem } from './problem.ts';
import type { Problem } from './problem.ts';
import { formatPath } from './zod-problems.ts';

export type DocumentFormat = 'json' | 'yaml';
export type ParsedDocument = { ok: true; value: unknown } | { ok: false; problems: Problem[] };

/** Aliases a YAML document may expand; small, so an alias bomb fails fast instead of eating memory. */
export const MAX_YAML_ALIASES = 100;

const BOM = '\uFEFF';

/** JSON if the text starts with `{` or `[` (after whitespace), YAML otherwise. */
export const sniffFormat = (text: string): DocumentFormat => (/^\s*[{[]/.test(text) ? 'json' : 'yaml');

const syntax = (line: number, column: number, reason: string): Problem =>
  problem('document.syntax', `line ${line}, column ${column}: ${reason}`);

const lineColumn = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
};

/** JSON.parse keeps the last of two equal keys; refuse them, as YAML does, naming each one. */
const duplicates = (text: string): Problem[] =>
  duplicateJsonKeys(text).map(({ key, path, offset = 0 }) => {
    const { line, column } = lineColumn(text, offset);
    return problem(
      'document.duplicate-key',
      `line ${line}, column ${column}: ${JSON.stringify(key)} is given twice in one object; give each key once`,
      { path: formatPath(path) },
    );
  });

const parseJson = (text: string): ParsedDocument => {
  try {
    const value = JSON.parse(text) as unknown;
    const problems = duplicates(text);
    return problems.length === 0 ? { ok: true, value } : { ok: false, problems };
  } catch (error) {
    // V8: "Expected ',' or '}' after property value in JSON at position 13 (line 3 column 3)" or
    // "Unexpected token '}', "{"a":}" is not valid JSON"; keep the reason, compute the place.
    const reason = (error as Error).message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    const { line, column } = lineColumn(text, jsonErrorOffset(text));
    return { ok: false, problems: [syntax(line, column, reason)] };
  }
};

const parseYaml = (text: string): ParsedDocument => {
  try {
    const doc = parseYamlDocument(text, {
      uniqueKeys: true,
      schema: 'core',
      logLevel: 'error',
    });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((e) => {
          const reason = e.message.replace(/ at line \d+, column \d+:?\n[\s\S]*$/, '');
          const { line, column } = lineColumn(text, e.pos[0]);
          return syntax(line, column, reason);
        }),
      };
    }
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (error) {
    // toJS throws on alias bombs and unresolved aliases; the parser itself on pathological nesting.
    return { ok: false, problems: [syntax(1, 1, (error as Error).message)] };
  }
};

/**
 * Parse a YAML or JSON document (one document; YAML duplicate keys rejected). Failures are
 * `document.syntax` problems whose message starts with the line and column. Documents nested deeper
 * than MAX_DEPTH are rejected (`document.too-deep`) so recursive consumers stay safe.
 */
export const parseDocument = (text: string, format?: DocumentFormat): ParsedDocument => {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const parsed = (format ?? sniffFormat(body)) === 'json' ? parseJson(body) : parseYaml(body);
  if (parsed.ok && exceedsDepth(parsed.value)) {
    return {
      ok: false,
      problems: [problem('document.too-deep', `the document nests deeper than ${MAX_DEPTH} levels`)],
    };
  }
  return parsed;
};
