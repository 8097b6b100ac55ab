import type { z } from 'zod';
import { exceedsDepth, MAX_DEPTH } from './json.ts';
import { problem } from './problem.ts';
import type { Problem } from './problem.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * parseWith asks zod for this instead of its default English, so problemsFromZod can tell a message
 * a schema author wrote (kept verbatim) from one it should phrase itself.
 */
const GENERATED = '\u0000generated';
const ZOD_UNION_DEFAULT = 'Invalid input';

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `changes[1].set`, `labels["team.x"]`; empty for the document root. */
export const formatPath = (path: Path): string =>
  path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      if (!IDENTIFIER.test(name)) return `[${JSON.stringify(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join('');

const expectedName = (expected: string): string =>
  expected === 'int' ? 'integer' : expected === 'record' ? 'object' : expected;

/** The JSON type of a value as a person would name it. */
export const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
};

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const orList = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.slice(-1).join('')}`;

const fieldName = (path: Path): string => {
  const last = path.at(-1);
  return last === undefined ? 'value' : typeof last === 'number' ? `item ${last}` : String(last);
};

const sizeRule = (
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  bound: 'least' | 'most',
): string => {
  const limit = 'minimum' in issue ? issue.minimum : issue.maximum;
  const n = String(limit);
  if (issue.origin === 'string') return `must be at ${bound} ${n} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have at ${bound} ${n} items`;
  const op =
    bound === 'least' ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `must be ${op} ${n}`;
};

const generatedMessage = (issue: Issue): string => {
  switch (issue.code) {
    case 'too_small':
      return sizeRule(issue, 'least');
    case 'too_big':
      return sizeRule(issue, 'most');
    case 'invalid_format':
      return issue.format === 'regex'
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return 'is invalid';
  }
};

const messageOf = (issue: Issue): string =>
  issue.message === GENERATED ? generatedMessage(issue) : issue.message;

/** A branch of a union whose root does not even have the right JSON type. */
const rootTypeMiss = (branch: readonly Issue[]): boolean => rootExpected(branch) !== undefined;

/** The JSON type a union branch expected when it failed only because the root had another type. */
const rootExpected = (branch: readonly Issue[]): string | undefined => {
  const [only] = branch;
  return branch.length === 1 && only?.code === 'invalid_type' && only.path.length === 0
    ? expectedName(only.expected)
    : undefined;
};

const convert = (issue: Issue, base: Path, out: Problem[]): void => {
  const path = [...base, ...issue.path];
  const at = { path: formatPath(path) };
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        out.push(problem('field.required', `missing required field ${JSON.stringify(fieldName(path))}`, at));
        return;
      }
      const expected = expectedName(issue.expected);
      const got =
        expected === 'integer' && typeof issue.input === 'number' ? show(issue.input) : typeName(issue.input);
      out.push(problem('field.type', `expected ${expected}, got ${got}`, at));
      return;
    }
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        out.push(
          problem('field.unknown', `unknown field ${JSON.stringify(key)}`, {
            path: formatPath([...path, key]),
          }),
        );
      }
      return;
    case 'invalid_union':
      convertUnion(issue, path, out);
      return;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const rule =
        allowed.length === 1 ? `expected ${allowed.join('')}` : `expected one of ${allowed.join(', ')}`;
      const message = issue.message === GENERATED ? `${rule}, got ${show(issue.input)}` : issue.message;
      out.push(problem('field.invalid', message, at));
      return;
    }
    case 'invalid_key':
      out.push(problem('field.invalid', `invalid key: ${issue.issues.map(messageOf).join('; ')}`, at));
      return;
    default:
      out.push(problem('field.invalid', messageOf(issue), at));
  }
};

const convertUnion = (issue: z.core.$ZodIssueInvalidUnion, path: Path, out: Problem[]): void => {
  const at = { path: formatPath(path) };
  if (issue.message !== GENERATED && issue.message !== ZOD_UNION_DEFAULT) {
    out.push(problem('field.invalid', issue.message, at));
    return;
  }
  if (issue.discriminator !== undefined && issue.errors.length === 0) {
    // zod places the issue at the discriminator; its input is the object that lacks a valid one.
    const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
    const value = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
    if (value === undefined) {
      out.push(
        problem('field.required', `missing required field ${JSON.stringify(issue.discriminator)}`, at),
      );
    } else {
      out.push(problem('field.invalid', `expected one of ${options.join(', ')}, got ${show(value)}`, at));
    }
    return;
  }
  const expected = issue.errors.map(rootExpected);
  if (expected.length > 0 && expected.every((e): e is string => e !== undefined)) {
    if (issue.input === undefined) {
      out.push(problem('field.required', `missing required field ${JSON.stringify(fieldName(path))}`, at));
      return;
    }
    out.push(
      problem('field.type', `expected ${orList([...new Set(expected)])}, got ${typeName(issue.input)}`, at),
    );
    return;
  }
  // Report the branch the input came closest to: fewest problems, shape mismatches last.
  let best: Problem[] | undefined;
  let bestScore = Infinity;
  for (const branch of issue.errors) {
    const found: Problem[] = [];
    for (const inner of branch) convert(inner, path, found);
    const score = found.length + (rootTypeMiss(branch) ? 1000 : 0);
    if (score < bestScore) {
      best = found;
      bestScore = score;
    }
  }
  const ambiguous = 'matches' in issue;
  out.push(
    ...(best ?? [
      problem('field.invalid', `matches ${ambiguous ? 'more than one' : 'none'} of the allowed shapes`, at),
    ]),
  );
};

/**
 * Problems from a zod error: `field.unknown` (one per unrecognized key), `field.required`,
 * `field.type`, `field.invalid`, each with a path like `changes[1].set`. Telling a missing field
 * from a wrong one needs the issue inputs, so parse with `reportInput: true` (parseWith does).
 */
export const problemsFromZod = (error: z.ZodError): Problem[] => {
  const out: Problem[] = [];
  for (const issue of error.issues) convert(issue, [], out);
  return out;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parse `value` with a zod schema into a value or every problem at once. Never throws. */
export const parseWith = <S extends z.ZodType>(schema: S, value: unknown): ParseResult<z.output<S>> => {
  if (exceedsDepth(value)) {
    return {
      ok: false,
      problems: [problem('document.too-deep', `the document nests deeper than ${MAX_DEPTH} levels`)],
    };
  }
  const result = schema.safeParse(value, { reportInput: true, error: () => GENERATED });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: problemsFromZod(result.error) };
};
