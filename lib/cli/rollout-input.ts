import { statSync } from 'node:fs';
import { parseDocument } from '#domain/core/document.ts';
import { CliError, exitCodes } from './exit-codes.ts';
import { readInputFile } from './read-input.ts';

/** A strategy or bundle given on the command line: a file's parsed document, or a name/reference. */
export type NamedOrDocument = { name: string } | { document: unknown };

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Looks like a path rather than a name: a missing file is a usage error, not a 404 later. */
const looksLikePath = (value: string): boolean => /[/\\]|\.(ya?ml|json)$/i.test(value);

/** A YAML/JSON file (`-` reads stdin), parsed; malformed → exit 2 with the syntax problem. */
export const readDocument = async (path: string): Promise<unknown> => {
  const input = await readInputFile(path);
  const parsed = parseDocument(input.text, input.format);
  if (parsed.ok) return parsed.value;
  throw new CliError(`${path} is not well-formed ${input.format.toUpperCase()}.`, exitCodes.usage, {
    problem: { problems: parsed.problems },
    hint: 'Fix the syntax error shown and retry.',
  });
};

/** `--strategy <file|name>`, `--bundle <file|ref>`: an existing file is read and parsed, else it is a name. */
export const nameOrDocument = async (value: string): Promise<NamedOrDocument> => {
  if (value === '-' || isFile(value) || looksLikePath(value)) return { document: await readDocument(value) };
  return { name: value };
};
