import { readFileSync } from 'node:fs';
import type { FlagType } from '#domain/flags/flag.ts';
import { flagSetSchema as domainFlagSetSchema } from '#domain/flags/flag.ts';
import { buildFlagSet } from '#api/flags/flag-set.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';

/** The golden cases of test/fixtures/flags (shared with test/unit/flags). */
export interface EvaluationCase {
  name: string;
  flag: string;
  type?: FlagType;
  context: Record<string, unknown>;
  expected: Record<string, unknown>;
  messageContains?: string;
}

export const readFixture = (name: string): unknown =>
  JSON.parse(readFileSync(`test/fixtures/flags/${name}`, 'utf8'));

const golden = readFixture('evaluation-cases.json') as { now: string; cases: EvaluationCase[] };
export const fixtureNow = Date.parse(golden.now);
export const evaluationCases = golden.cases;

/** The golden flag set as the API would serve it for environment `prod` at HEAD `version`. */
export const fixtureFlagSet = (version = 7): FlagSet => {
  const { flags, segments } = domainFlagSetSchema.parse(readFixture('flag-set.json'));
  return buildFlagSet({ environment: 'prod', version, flags, segments });
};
