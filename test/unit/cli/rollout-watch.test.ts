import { describe, expect, it } from 'vitest';
import { bakeProgress, formatLeft, progressBar, renderRolloutWatch, timeOfDay } from '#cli/rollout-watch.ts';
import type { RolloutView } from '#api/rollout-view.ts';
import { NOW, phase, runningView } from './rollout-fixtures.ts';

const lines = (view: RolloutView, now = NOW): string[] => renderRolloutWatch(view, now).trimEnd().split('\n');
const lineOf = (view: RolloutView, start: string, now = NOW): string | undefined =>
  lines(view, now).find((line) => line.trimStart().startsWith(start));

describe('formatLeft', () => {
  it.each([
    [0, '0s'],
    [-5000, '0s'],
    [999, '1s'],
    [12_000, '12s'],
    [60_000, '1m00s'],
    [585_000, '9m45s'],
    [3_900_000, '1h05m'],
    [86_400_000 + 3 * 3_600_000, '1d03h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatLeft(ms)).toBe(text);
  });
});

describe('timeOfDay', () => {
  it.each([
    ['2026-11-23T10:05:07.000Z', '10:05:07'],
    ['2026-11-23T12:05:07+02:00', '10:05:07'],
    ['not a time', 'not a time'],
  ])('%s → %s', (at, text) => {
    expect(timeOfDay(at)).toBe(text);
  });
});

describe('bakeProgress and progressBar', () => {
  const window = { deployedAt: '2026-11-23T10:00:00.000Z', bakedUntil: '2026-11-23T10:20:00.000Z' };
  it.each([
    ['pending', phase({ name: 'p' }), NOW, 0],
    ['deploying', phase({ name: 'p', status: 'deploying', ...window }), NOW, 0],
    ['baking, half way', phase({ name: 'p', status: 'baking', ...window }), NOW, 0.5],
    [
      'baking, before the deploy (clock skew)',
      phase({ name: 'p', status: 'baking', ...window }),
      new Date('2026-11-23T09:00:00Z'),
      0,
    ],
    [
      'baking, past the bake',
      phase({ name: 'p', status: 'baking', ...window }),
      new Date('2026-11-23T11:00:00Z'),
      1,
    ],
    ['baking without times', phase({ name: 'p', status: 'baking' }), NOW, 0],
    [
      'baking, zero-length bake',
      phase({ name: 'p', status: 'baking', deployedAt: window.deployedAt, bakedUntil: window.deployedAt }),
      NOW,
      1,
    ],
    ['baked', phase({ name: 'p', status: 'baked', ...window }), NOW, 1],
    ['awaiting approval (bake done)', phase({ name: 'p', status: 'awaiting-approval', ...window }), NOW, 1],
    ['rolled back', phase({ name: 'p', status: 'rolled-back', ...window }), NOW, 0],
  ])('%s', (_case, p, now, fraction) => {
    expect(bakeProgress(p, now)).toBe(fraction);
  });

  it.each([
    [0, 4, '░░░░'],
    [0.5, 4, '██░░'],
    [0.6, 4, '██░░'],
    [0.63, 4, '███░'],
    [1, 4, '████'],
  ])('%f of %i → %s', (fraction, width, bar) => {
    expect(progressBar(fraction, width)).toBe(bar);
  });
});

describe('renderRolloutWatch', () => {
  it('draws a running rollout: one bar per phase, health, bake left, the latest events', () => {
    expect(lines(runningView())).toEqual([
      'rollout ro-1  checkout-timeouts@3  strategy standard  running',
      '  ✓ dev          dev              [████████████████████████]  baked',
      '  ▸ staging      staging          [████████░░░░░░░░░░░░░░░░]  33%  10m00s left',
      '  ◌ prod-canary  prod-eu          [░░░░░░░░░░░░░░░░░░░░░░░░]  pending',
      '  ◌ prod         prod-us,prod-ap  [░░░░░░░░░░░░░░░░░░░░░░░░]  pending',
      'health  healthy at 10:09:00: all alarms OK',
      '  ✓ staging-5xx-rate OK',
      '  ✓ staging-checkout-p99 OK',
      'bake    staging: 10m00s left (until 2026-11-23T10:20:00.000Z)',
      'recent',
      '  10:00:00  PhaseStarted   dev      -        phase started',
      '  10:00:01  PhaseDeployed  dev      dev      deployed dpl-dev-1',
      '  10:05:00  PhaseBaked     dev      -        baked',
      '  10:05:00  PhaseStarted   staging  -        phase started',
      '  10:05:01  PhaseDeployed  staging  staging  deployed dpl-staging-1',
    ]);
  });

  const baked = runningView().phases.map((p) => ({ ...p, status: 'baked' as const }));
  const rolledBack = runningView().phases.map((p, i) => ({
    ...p,
    status: i < 2 ? ('rolled-back' as const) : ('pending' as const),
  }));
  const later = new Date('2026-11-23T10:30:00Z');
  it.each<[string, RolloutView, string, Date?]>([
    ['the bake is over: the next check decides', runningView(), '▸ staging', later],
    ['succeeded', runningView({ status: 'succeeded', phases: baked }), '✓ prod ', NOW],
    [
      'rolled back',
      runningView({ status: 'rolled-back', reason: 'ALARM staging-5xx-rate', phases: rolledBack }),
      '✗ staging',
    ],
    [
      'an approval gate',
      runningView({
        status: 'awaiting-approval',
        phases: runningView().phases.map((p) =>
          p.name === 'staging' ? { ...p, status: 'awaiting-approval' as const, approval: true } : p,
        ),
      }),
      '⧗ staging',
    ],
    ['a skipped phase', runningView({ phases: [phase({ name: 'x', status: 'skipped' })] }), '– x'],
  ])('marks the phase: %s', (_case, view, start, now = NOW) => {
    expect(lineOf(view, start, now)).toBeDefined();
  });

  it.each<[string, RolloutView, string, Date]>([
    ['baking', runningView(), '33%  10m00s left', NOW],
    ['baked long enough', runningView(), '100%  bake done, next check decides', later],
    ['rolled back', runningView({ phases: rolledBack }), 'rolled back', NOW],
    [
      'awaiting approval',
      runningView({
        phases: [phase({ name: 'd', status: 'baked' }), phase({ name: 's', status: 'awaiting-approval' })],
      }),
      'awaiting approval',
      NOW,
    ],
  ])('labels the bar: %s', (_case, view, label, now) => {
    expect(lines(view, now)[2]).toMatch(new RegExp(`\\]  ${label}$`));
  });

  it.each<[string, RolloutView, string, Date?]>([
    [
      'rolled back: the header says why',
      runningView({ status: 'rolled-back', reason: 'ALARM staging-5xx-rate' }),
      'rollout ro-1  checkout-timeouts@3  strategy standard  rolled-back: ALARM staging-5xx-rate',
    ],
    ['the bake is over', runningView(), 'bake    staging: done (until 2026-11-23T10:20:00.000Z)', later],
    [
      'paused with a reason',
      runningView({ status: 'paused', reason: 'monitoring unavailable' }),
      'paused  monitoring unavailable; resume with convoy rollout resume ro-1',
    ],
    [
      'paused without one',
      runningView({ status: 'paused', reason: null }),
      'paused  resume with convoy rollout resume ro-1',
    ],
    [
      'awaiting approval',
      runningView({ status: 'awaiting-approval' }),
      'gate    staging waits for approval: convoy rollout approve ro-1',
    ],
    ['no check yet', runningView({ health: null }), 'health  not checked yet'],
    [
      'unknown, three in a row',
      runningView({
        health: { verdict: 'unknown', at: '2026-11-23T10:09:00Z', reason: null, alarms: [] },
        consecutiveUnknown: 3,
      }),
      'health  unknown (3 in a row) at 10:09:00',
    ],
    [
      'unhealthy, with the alarm states',
      runningView({
        health: {
          verdict: 'unhealthy',
          at: '2026-11-23T10:09:00Z',
          reason: 'ALARM staging-5xx-rate',
          alarms: [
            { name: 'staging-5xx-rate', state: 'ALARM' },
            { name: 'staging-checkout-p99', state: 'INSUFFICIENT_DATA' },
          ],
        },
      }),
      '  ✗ staging-5xx-rate ALARM\n  ? staging-checkout-p99 INSUFFICIENT_DATA',
    ],
    [
      'no bundle or strategy yet',
      runningView({ bundle: null, strategy: null }),
      'rollout ro-1  -  strategy -  running',
    ],
  ])('%s', (_case, view, expected, now = NOW) => {
    expect(renderRolloutWatch(view, now)).toContain(expected);
  });

  it('leaves out the bake line when nothing bakes, and the events when there are none', () => {
    const view = runningView({ status: 'running', currentPhase: 'dev', events: [] });
    const text = renderRolloutWatch(view, NOW);
    expect(text).not.toContain('bake    ');
    expect(text).not.toContain('recent');
    expect(renderRolloutWatch(runningView({ status: 'succeeded' }), NOW)).not.toContain('bake    ');
  });

  it('shows only the latest events, as many as asked', () => {
    const text = renderRolloutWatch(runningView(), NOW, { events: 2 });
    expect(text).not.toContain('PhaseBaked');
    expect(text).toContain('deployed dpl-staging-1');
  });

  it('colours through the style it is given, and keeps the columns aligned', () => {
    const style = (format: string, text: string): string => `<${format}>${text}</${format}>`;
    const text = renderRolloutWatch(runningView(), NOW, { style, barWidth: 4 });
    expect(text).toContain('<bold>rollout ro-1');
    expect(text).toContain('<green>✓</green> dev');
    expect(text).toContain('[<cyan>█░░░</cyan>]');
    expect(text).toContain('health  <green>healthy</green>');
  });
});
