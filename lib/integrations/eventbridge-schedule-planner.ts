import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ConvoyError } from '#domain/core/errors.ts';
import { sha256 } from '#domain/core/json.ts';
import { awsErrorName, translateAwsError } from './aws-errors.ts';
import type { SchedulePlanner } from './ports.ts';

const SERVICE = 'The scheduler';

/** Schedule names: 1–64 of [0-9a-zA-Z-_.]. */
const NAME_PATTERN = /^[0-9a-zA-Z._-]{1,64}$/;
const NAME_MAX = 64;

/** A time in the past is armed this far ahead instead: "fire as soon as possible". */
export const PAST_SCHEDULE_DELAY_MS = 60_000;

export interface EventBridgeSchedulePlannerOptions {
  client: SchedulerClient;
  /** The schedule group (CONVOY_SCHEDULE_GROUP_NAME). */
  groupName: string;
  /** The role EventBridge Scheduler assumes to invoke the target (CONVOY_SCHEDULER_ROLE_ARN). */
  roleArn: string;
  /** The function invoked with the payload (CONVOY_FREEZE_ACTIVATION_FUNCTION_ARN). */
  targetArn: string;
  now?: () => Date;
}

/**
 * A valid schedule name for any Convoy name: kept as is when valid, otherwise invalid characters become
 * `-` and a short hash of the original keeps distinct names distinct. Deterministic, so `disarm` finds
 * what `arm` created.
 */
export const scheduleNameOf = (name: string): string => {
  if (NAME_PATTERN.test(name)) return name;
  const suffix = `-${sha256(name).slice(0, 8)}`;
  return name.replace(/[^0-9a-zA-Z._-]/g, '-').slice(0, NAME_MAX - suffix.length) + suffix;
};

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the whole second (never fire before `at`). */
export const atExpression = (at: Date): string => {
  const seconds = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return `at(${seconds.toISOString().slice(0, 19)})`;
};

/**
 * One-time EventBridge Scheduler schedules in Convoy's group that invoke the freeze-activation function
 * with a payload. `arm` creates the schedule or, when it exists, replaces it (UpdateSchedule); a fired
 * schedule deletes itself. `disarm` of a missing schedule succeeds. A time already past is armed one
 * minute ahead: a late firing is harmless, enforcement never depends on it.
 */
export class EventBridgeSchedulePlanner implements SchedulePlanner {
  private readonly options: EventBridgeSchedulePlannerOptions;
  private readonly now: () => Date;

  constructor(options: EventBridgeSchedulePlannerOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  async arm(input: { name: string; at: string; payload: Record<string, unknown> }): Promise<void> {
    const at = Date.parse(input.at);
    if (Number.isNaN(at))
      throw new ConvoyError('bad-request', `"${input.at}" is not an ISO 8601 instant to schedule at.`);
    const now = this.now().getTime();
    const fireAt = at > now ? at : now + PAST_SCHEDULE_DELAY_MS;
    const schedule: CreateScheduleCommandInput = {
      Name: scheduleNameOf(input.name),
      GroupName: this.options.groupName,
      Description: `Convoy: ${input.name}`.slice(0, 512),
      ScheduleExpression: atExpression(new Date(fireAt)),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.options.targetArn,
        RoleArn: this.options.roleArn,
        Input: JSON.stringify(input.payload),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    };
    try {
      await this.options.client.send(new CreateScheduleCommand(schedule));
    } catch (error) {
      if (awsErrorName(error) !== 'ConflictException') throw translateAwsError(SERVICE, error);
      try {
        await this.options.client.send(new UpdateScheduleCommand(schedule));
      } catch (updateError) {
        throw translateAwsError(SERVICE, updateError);
      }
    }
  }

  async disarm(name: string): Promise<void> {
    try {
      await this.options.client.send(
        new DeleteScheduleCommand({ Name: scheduleNameOf(name), GroupName: this.options.groupName }),
      );
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return;
      throw translateAwsError(SERVICE, error);
    }
  }
}
