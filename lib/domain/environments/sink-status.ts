/**
 * Delivery of a deployment to an external sink (AppConfig): the status each deployment record keeps
 * per sink, and the pure rules around it. HEAD is the truth; a sink is reconciled from it.
 */

export const sinkStates = ['pending', 'deploying', 'complete', 'rolled-back', 'failed'] as const;
export type SinkState = (typeof sinkStates)[number];

export interface SinkStatus {
  state: SinkState;
  /** The hosted configuration version written for this deployment. */
  versionNumber?: number;
  /** The AppConfig deployment that delivers it. */
  deploymentNumber?: number;
  message?: string;
  /** Flags sink: the flag keys the AppConfig document could not express, left out of it. */
  omitted?: string[];
  /** ISO 8601 instant of the observation. */
  at: string;
}

/**
 * `appconfig`: the configuration profile; `appconfigFlags`: the AWS.AppConfig.FeatureFlags profile;
 * `appconfigFlagSet`: the freeform profile holding Convoy's flag set (what the provider loads).
 */
export const sinkNames = ['appconfig', 'appconfigFlags', 'appconfigFlagSet'] as const;
export type SinkName = (typeof sinkNames)[number];

export interface DeploymentSinks {
  appconfig?: SinkStatus;
  appconfigFlags?: SinkStatus;
  appconfigFlagSet?: SinkStatus;
}

export const appConfigDeploymentStates = [
  'BAKING',
  'VALIDATING',
  'DEPLOYING',
  'COMPLETE',
  'ROLLING_BACK',
  'ROLLED_BACK',
  'REVERTED',
] as const;
export type AppConfigDeploymentState = (typeof appConfigDeploymentStates)[number];

/** The newest AppConfig deployment of the bound profile in the bound environment. */
export interface LiveDeployment {
  deploymentNumber: number;
  versionNumber: number;
  state: AppConfigDeploymentState;
}

/** ROLLED_BACK (alarm, error) and REVERTED (stopped after completion) both undo the delivery. */
export const sinkStateOf = (state: AppConfigDeploymentState): SinkState => {
  if (state === 'COMPLETE') return 'complete';
  if (state === 'ROLLED_BACK' || state === 'REVERTED') return 'rolled-back';
  return 'deploying';
};

/**
 * The stored states a status for the same deploymentNumber may not replace: outcomes never move
 * backwards (a late `deploying` poll after `complete`), and a rollback is final. A status without a
 * deploymentNumber is a new attempt and replaces anything.
 */
export const statesNotReplaceableBy = (next: SinkState): SinkState[] => {
  if (next === 'rolled-back') return [];
  if (next === 'complete') return ['rolled-back'];
  return ['complete', 'rolled-back'];
};

/** The description of the hosted version and the deployment Convoy creates for a deployment record. */
export const sinkDescription = (deploymentId: string): string => `convoy ${deploymentId}`;

export interface SyncDecision {
  publish: boolean;
  reason: string;
}

const undone = (state: AppConfigDeploymentState): boolean => state === 'ROLLED_BACK' || state === 'REVERTED';

/**
 * Whether HEAD's deployment must be published (again) to bring the sink to HEAD: never delivered,
 * failed or rolled back, or AppConfig now serves another version that a later deployment put there.
 */
export const syncDecision = (
  status: SinkStatus | undefined,
  live: LiveDeployment | undefined,
): SyncDecision => {
  if (status === undefined) return { publish: true, reason: 'HEAD was never published to the sink' };
  switch (status.state) {
    case 'pending':
      return { publish: true, reason: 'the publication of HEAD did not finish' };
    case 'failed':
      return {
        publish: true,
        reason: `the publication of HEAD failed: ${status.message ?? 'unknown error'}`,
      };
    case 'rolled-back':
      return { publish: true, reason: 'AppConfig rolled HEAD back' };
    case 'deploying':
      return {
        publish: false,
        reason: `AppConfig deployment ${status.deploymentNumber ?? '?'} is in progress`,
      };
    case 'complete': {
      const overtaken =
        live !== undefined &&
        live.deploymentNumber > (status.deploymentNumber ?? 0) &&
        live.versionNumber !== status.versionNumber &&
        !undone(live.state);
      return overtaken
        ? {
            publish: true,
            reason: `AppConfig deployment ${live.deploymentNumber} replaced HEAD with version ${live.versionNumber}`,
          }
        : { publish: false, reason: `AppConfig serves HEAD (version ${status.versionNumber ?? '?'})` };
    }
  }
};

/**
 * A live deployment a previous attempt of this publication started and a crash kept from being
 * recorded: same version, not undone. A rolled-back one is never reused; publishing again redeploys.
 */
export const isReusableDeployment = (
  live: LiveDeployment | undefined,
  versionNumber: number,
): live is LiveDeployment =>
  live !== undefined && live.versionNumber === versionNumber && !undone(live.state);

/** What a status says about an AppConfig deployment it observed. */
export const sinkMessage = (
  deploymentNumber: number,
  state: AppConfigDeploymentState,
  percentageComplete: number,
): string =>
  sinkStateOf(state) === 'rolled-back'
    ? `AppConfig rolled back deployment ${deploymentNumber} (${state})`
    : `AppConfig deployment ${deploymentNumber}: ${state} (${percentageComplete}%)`;
