import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  SchedulerServiceException,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import {
  atExpression,
  EventBridgeSchedulePlanner,
  scheduleNameOf,
} from '#integrations/eventbridge-schedule-planner.ts';

const scheduler = mockClient(SchedulerClient);
afterEach(() => {
  scheduler.reset();
});

const NOW = Date.parse('2026-12-18T12:00:00Z');
const planner = () =>
  new EventBridgeSchedulePlanner({
    client: new SchedulerClient({}),
    groupName: 'convoy',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:freeze-activation',
    now: () => new Date(NOW),
  });
const meta = { $metadata: {} };
const payload = { reason: 'window-start', windowId: 'xmas' };
const arm = (at = '2026-12-24T16:00:00.250Z', name = 'convoy-freeze-xmas') =>
  planner().arm({ name, at, payload });
const failure = async (promise: Promise<unknown>): Promise<ConvoyError> =>
  (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as ConvoyError;

describe('EventBridgeSchedulePlanner', () => {
  it('creates a one-time schedule in the group that invokes the activation function with the payload', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await arm();
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'convoy-freeze-xmas',
      GroupName: 'convoy',
      Description: 'Convoy: convoy-freeze-xmas',
      ScheduleExpression: 'at(2026-12-24T16:00:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:freeze-activation',
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
        Input: JSON.stringify(payload),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('rounds up to the whole second, never firing before the instant', () => {
    expect(atExpression(new Date('2026-12-24T16:00:00.000Z'))).toBe('at(2026-12-24T16:00:00)');
    expect(atExpression(new Date('2026-12-24T16:00:00.001Z'))).toBe('at(2026-12-24T16:00:01)');
  });

  it('arms a time already past one minute ahead', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await arm('2026-12-18T11:00:00Z');
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(
      'at(2026-12-18T12:01:00)',
    );
  });

  it('replaces an existing schedule of the same name', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', ...meta }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await arm();
    const update = scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input;
    expect(update).toMatchObject({ Name: 'convoy-freeze-xmas', GroupName: 'convoy' });
    expect(update?.ScheduleExpression).toBe('at(2026-12-24T16:00:01)');
  });

  it('translates a failing replacement', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', ...meta }));
    scheduler.on(UpdateScheduleCommand).rejects(
      new SchedulerServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'x',
        ...meta,
      }),
    );
    expect((await failure(arm())).code).toBe('unavailable');
  });

  it('turns throttling into unavailable and a validation error into internal', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(
        new SchedulerServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          message: 'x',
          ...meta,
        }),
      )
      .rejectsOnce(new ValidationException({ message: 'bad', Message: 'bad', ...meta }));
    expect((await failure(arm())).code).toBe('unavailable');
    expect((await failure(arm())).code).toBe('internal');
  });

  it('refuses an instant that is not one', async () => {
    const error = await failure(arm('next friday'));
    expect(error).toBeInstanceOf(ConvoyError);
    expect(error.code).toBe('bad-request');
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('maps any name to a valid, stable schedule name', () => {
    expect(scheduleNameOf('convoy-freeze-xmas_2026.1')).toBe('convoy-freeze-xmas_2026.1');
    const odd = scheduleNameOf('convoy-freeze-Black Friday/2026 ✓');
    expect(odd).toMatch(/^[0-9a-zA-Z._-]{1,64}$/);
    expect(odd).toBe(scheduleNameOf('convoy-freeze-Black Friday/2026 ✓'));
    expect(odd).not.toBe(scheduleNameOf('convoy-freeze-Black Friday/2026 ✗'));
    expect(scheduleNameOf(`convoy-freeze-${'w'.repeat(100)}`)).toHaveLength(64);
  });

  it('deletes a schedule, and a missing one is already disarmed', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejectsOnce(new ResourceNotFoundException({ message: 'none', Message: 'none', ...meta }))
      .rejectsOnce(
        new SchedulerServiceException({
          name: 'InternalServerException',
          $fault: 'server',
          message: 'x',
          ...meta,
        }),
      );
    await planner().disarm('convoy-freeze-xmas');
    await planner().disarm('convoy-freeze-xmas');
    expect((await failure(planner().disarm('convoy-freeze-xmas'))).code).toBe('unavailable');
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'convoy-freeze-xmas',
      GroupName: 'convoy',
    });
  });
});
