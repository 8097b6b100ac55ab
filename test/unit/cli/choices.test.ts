import { describe, expect, it } from 'vitest';
import { changeKinds, freezeLevels } from '../../../lib/domain/freeze/change-kind.ts';
import { inFlightPolicies } from '../../../lib/domain/freeze/freeze-window.ts';
import { overrideStatuses } from '../../../lib/domain/freeze/override.ts';
import { alarmStates } from '../../../lib/domain/rollout/events.ts';
import * as choices from '../../../lib/cli/choices.ts';

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
