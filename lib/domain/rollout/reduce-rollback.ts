import { startRollback } from './reduce-phases.ts';
import type { Transitions } from './transition.ts';

export const rollbackTransitions = {
  AbortRequested: (state, event) => {
    if (state.status === 'rolling-back') return 'the rollout is already rolling back';
    startRollback(state, 'operator', `aborted by ${event.by}: ${event.reason}`);
    return undefined;
  },
  RollbackStarted: (state, event) => {
    startRollback(state, 'automatic', event.reason);
    return undefined;
  },
  PhaseRolledBack: (state, event) => {
    if (state.status !== 'rolling-back') return `cannot roll back an environment while ${state.status}`;
    const index = state.rollbackPlan.findIndex((step) => step.environment === event.environment);
    if (index === -1) return `${event.environment} has nothing left to roll back`;
    state.rollbackPlan.splice(index, 1);
    for (const phase of state.phases) {
      let restored = 0;
      for (const deployment of phase.deployments) {
        if (deployment.environment === event.environment) deployment.rolledBackAt ??= event.at;
        if (deployment.rolledBackAt !== null) restored += 1;
      }
      if (restored > 0 && restored === phase.deployments.length) phase.status = 'rolled-back';
    }
    return undefined;
  },
  RolledBack: (state, event) => {
    if (state.status !== 'rolling-back') return `cannot finish a rollback while ${state.status}`;
    if (state.rollbackPlan.length > 0) {
      const left = state.rollbackPlan.map((step) => step.environment).join(', ');
      return `environments still run the new configuration: ${left}`;
    }
    for (const phase of state.phases) {
      if (phase.status === 'pending' || (phase.deployments.length === 0 && phase.status === 'deploying')) {
        phase.status = 'skipped';
      }
    }
    state.status = state.rollbackCause === 'operator' ? 'aborted' : 'rolled-back';
    state.endedAt = event.at;
    return undefined;
  },
} satisfies Partial<Transitions>;
