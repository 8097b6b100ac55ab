export interface RiskFigures {
  teams: number;
  services: number;
  environments: number;
  rollouts: number;
  bundles: number;
  cycles: number;
  /** Required services running outside the required ranges somewhere. */
  unmet: number;
  /** How many freezes are near and the soonest, when any is. */
  freezes: { count: number; soonest: { inDays: number; active: boolean } } | undefined;
}

const count = (n: number, singular: string, plural = `${singular}s`): string =>
  `${n} ${n === 1 ? singular : plural}`;

/** "touches 3 teams, 7 services in 4 environments, 1 running rollout, 1 freeze in 3 days". */
export const riskSummary = (figures: RiskFigures): string => {
  const parts = [
    `touches ${count(figures.teams, 'team')}`,
    `${count(figures.services, 'service')} in ${count(figures.environments, 'environment')}`,
  ];
  if (figures.bundles > 0) parts.push(`${count(figures.bundles, 'other bundle')} on the same keys`);
  if (figures.rollouts > 0) parts.push(count(figures.rollouts, 'running rollout'));
  if (figures.freezes) {
    const { count: n, soonest } = figures.freezes;
    const when = soonest.active
      ? 'now'
      : soonest.inDays === 0
        ? 'within a day'
        : `in ${count(soonest.inDays, 'day')}`;
    parts.push(`${count(n, 'freeze')} ${when}`);
  }
  if (figures.unmet > 0) parts.push(count(figures.unmet, 'unmet service requirement'));
  if (figures.cycles > 0) parts.push(count(figures.cycles, 'cycle'));
  return parts.join(', ');
};
