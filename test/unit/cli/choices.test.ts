import { describe, expect, it } from 'vitest';
import { changeKinds, freezeLevels } from '#domain/freeze/change-kind.ts';
import { inFlightPolicies } from '#domain/freeze/freeze-window.ts';
import { overrideStatuses } from '#domain/overrides/override.ts';
import { alarmStates } from '#domain/rollout/events.ts';
import * as choices from '#cli/choices.ts';

/** lib/cli/choices.ts repeats the domain's enumerations (so that start-up needs no zod): the same lists. */
describe('CLI option choices', () => {
  it('equal the domain enumerations they stand for', () => {
    expect(choices.changeKinds).toEqual(changeKinds);
    expect(choices.freezeLevels).toEqual(freezeLevels);
    expect(choices.inFlightPolicies).toEqual(inFlightPolicies);
    expect(choices.overrideStatuses).toEqual(overrideStatuses);
    expect(choices.alarmStates).toEqual(alarmStates);
  });
});
