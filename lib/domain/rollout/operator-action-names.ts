/**
 * The operator actions of `POST /rollouts/{id}/{action}`, in the order the CLI lists them. A leaf module:
 * the CLI declares its commands with it at every start, without loading the rules behind them.
 */
export const rolloutActions = ['approve', 'reject', 'pause', 'resume', 'abort', 'promote'] as const;
export type RolloutAction = (typeof rolloutActions)[number];
