import { flagDefinitionSchema } from './flag.ts';

/** How many flags an environment holds, by state (killed counts apart from enabled/disabled). */
export interface FlagCounts {
  total: number;
  enabled: number;
  disabled: number;
  killed: number;
}

/** The flag states of a snapshot's values: the catalog's flags it sets (a definition that no longer parses is left out). */
export const flagCounts = (
  catalog: { flags?: readonly { key: string }[] | undefined },
  values: Readonly<Record<string, unknown>>,
): FlagCounts => {
  const counts: FlagCounts = { total: 0, enabled: 0, disabled: 0, killed: 0 };
  for (const { key } of catalog.flags ?? []) {
    const parsed = flagDefinitionSchema.safeParse(values[key]);
    if (!parsed.success) continue;
    counts.total += 1;
    if (parsed.data.killed) counts.killed += 1;
    else if (parsed.data.enabled) counts.enabled += 1;
    else counts.disabled += 1;
  }
  return counts;
};
