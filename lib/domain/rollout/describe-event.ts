import type { RolloutEvent } from './events.ts';

const short = (hash: string): string => hash.slice(0, 12);

const healthDetail = (event: Extract<RolloutEvent, { type: 'HealthChecked' }>): string => {
  if (event.verdict === 'healthy') return 'healthy';
  const notOk = event.alarms.filter((alarm) => alarm.state !== 'OK');
  const states = [...new Set(notOk.map((alarm) => alarm.state))]
    .map((state) => `${state} ${notOk.flatMap((a) => (a.state === state ? [a.name] : [])).join(', ')}`)
    .join('; ');
  if (event.verdict === 'unhealthy') return states || event.reason || 'unhealthy';
  const why = event.reason ?? states;
  return `unknown (${event.consecutiveUnknown} in a row)${why ? `: ${why}` : ''}`;
};

/** One line of human detail per event, for timelines and `rollout status`. */
export const describeEvent = (event: RolloutEvent): string => {
  switch (event.type) {
    case 'RolloutStarted':
      if (event.release)
        return `release ${event.release.name} (${event.release.bundles.join(', ')}) with strategy ${event.strategy.name} (${event.strategy.phases.length} phases) by ${event.by}`;
      return `${event.bundle.name}@${event.bundle.version} with strategy ${event.strategy.name} (${event.strategy.phases.length} phases) by ${event.by}`;
    case 'PhaseStarted':
      return 'phase started';
    case 'PhaseDeployed':
      return `deployed ${event.deploymentId} (snapshot ${short(event.previousSnapshot)} → ${short(event.snapshot)})`;
    case 'HealthChecked':
      return healthDetail(event);
    case 'PhaseBaked':
      return 'baked';
    case 'ApprovalRequested':
      return 'approval requested';
    case 'ApprovalGranted':
      return `approved by ${event.by}`;
    case 'ApprovalRejected':
      return `rejected by ${event.by}: ${event.reason}`;
    case 'ApprovalTimedOut':
      return 'approval timed out';
    case 'Paused':
      return `paused${event.by ? ` by ${event.by}` : ''}: ${event.reason}`;
    case 'Resumed':
      return `resumed by ${event.by}`;
    case 'Promoted':
      return `promoted by ${event.by}`;
    case 'AbortRequested':
      return `abort requested by ${event.by}: ${event.reason}`;
    case 'FreezeApplied':
      return `freeze ${event.windows.join(', ') || '(none)'} applies; in flight: ${event.policy}`;
    case 'RollbackStarted':
      return `rollback: ${event.reason}`;
    case 'PhaseRolledBack':
      return `rolled back by ${event.deploymentId}`;
    case 'RolledBack':
      return 'rollback complete';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
      return `failed: ${event.reason}`;
    case 'ContinuedAsNew':
      return `continued as execution ${event.executionName}`;
    case 'ExecutionEnded':
      return `${event.reason}${event.action === 'none' ? '' : `; ${event.action === 'pause' ? 'paused' : 'rolling back'}`}`;
  }
};
