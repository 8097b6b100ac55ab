import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { projectRoot } from './lambda-runtime.ts';

/** `${Name}` placeholders that CDK's definitionSubstitutions (and the local runner) fill in. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The ASL file of a workflow: `statemachines/<workflow>.asl.json`. */
export const stateMachineFile = (workflow: string, root = projectRoot): string =>
  join(root, 'statemachines', `${workflow}.asl.json`);

/** Every distinct placeholder name of an ASL text, sorted. */
export const placeholdersOf = (text: string): string[] =>
  [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();

/**
 * Fill in every placeholder, as Step Functions does with DefinitionSubstitutions. A placeholder without
 * a value is an error naming it: a definition never runs half-substituted. Values are inserted as JSON
 * string content (escaped), since every Convoy placeholder sits inside a string.
 */
export const substitute = (text: string, values: Record<string, string>): string => {
  const missing = placeholdersOf(text).filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new Error(`No value for placeholder(s) ${missing.map((m) => `\${${m}}`).join(', ')}`);
  return text.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(values[name]).slice(1, -1));
};

/** Reads, substitutes and parses a workflow's ASL file. */
export const loadDefinition = (file: string, values: Record<string, string>): StateMachineDefinition =>
  JSON.parse(substitute(readFileSync(file, 'utf8'), values)) as StateMachineDefinition;
