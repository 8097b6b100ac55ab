import { describe, expect, it } from 'vitest';
import {
  releaseApprovedEvent,
  releaseDefinedEvent,
  releaseSignedOffEvent,
} from '#domain/releases/release-events.ts';
import { RELEASE, releaseManifest } from '../../fixtures/releases/three-teams.ts';

const covers = [{ name: 'identity-session', version: '2', hash: 'h2' }];

describe('release audit events', () => {
  it.each([
    [
      'a definition with a pin and a strategy',
      releaseDefinedEvent(
        releaseManifest({ bundles: [{ name: 'a' }, { name: 'b', version: '3' }], strategy: 'canary' }),
        'olivia',
        't1',
      ),
      {
        type: 'ReleaseDefined',
        at: 't1',
        actor: 'olivia',
        subject: RELEASE,
        detail: { targetDate: '2026-12-14', owner: 'olivia', bundles: ['a', 'b@3'], strategy: 'canary' },
      },
    ],
    [
      'a definition without a strategy',
      releaseDefinedEvent(releaseManifest({ bundles: [] }), 'olivia', 't1'),
      {
        type: 'ReleaseDefined',
        at: 't1',
        actor: 'olivia',
        subject: RELEASE,
        detail: { targetDate: '2026-12-14', owner: 'olivia', bundles: [], strategy: null },
      },
    ],
    [
      'a sign-off with a note',
      releaseSignedOffEvent({
        release: RELEASE,
        team: 'identity',
        principal: 'ivan',
        note: 'ok',
        at: 't2',
        covers,
      }),
      {
        type: 'ReleaseSignedOff',
        at: 't2',
        actor: 'ivan',
        subject: RELEASE,
        detail: { team: 'identity', note: 'ok', bundles: ['identity-session@2'], hashes: ['h2'] },
      },
    ],
    [
      'a sign-off without a note',
      releaseSignedOffEvent({ release: RELEASE, team: 'identity', principal: 'ivan', at: 't2', covers: [] }),
      {
        type: 'ReleaseSignedOff',
        at: 't2',
        actor: 'ivan',
        subject: RELEASE,
        detail: { team: 'identity', note: null, bundles: [], hashes: [] },
      },
    ],
    [
      'an approval',
      releaseApprovedEvent({ release: RELEASE, principal: 'olivia', at: 't3', covers }),
      {
        type: 'ReleaseApproved',
        at: 't3',
        actor: 'olivia',
        subject: RELEASE,
        detail: { note: null, bundles: ['identity-session@2'], hashes: ['h2'] },
      },
    ],
    [
      'an approval with a note',
      releaseApprovedEvent({ release: RELEASE, principal: 'olivia', note: 'go', at: 't3', covers: [] }),
      {
        type: 'ReleaseApproved',
        at: 't3',
        actor: 'olivia',
        subject: RELEASE,
        detail: { note: 'go', bundles: [], hashes: [] },
      },
    ],
  ])('%s', (_, event, expected) => {
    expect(event).toEqual(expected);
  });
});
