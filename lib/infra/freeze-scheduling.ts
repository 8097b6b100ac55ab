import { Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

/** Every activation schedule is named `convoy-freeze-<window id>` (lib/app/freezes/sync-freezes.ts). */
export const FREEZE_SCHEDULE_PREFIX = 'convoy-freeze-';

export interface FreezeSchedulingProps {
  /** ARN of the freeze-activation function the schedules invoke. */
  activationFunctionArn: string;
}

/**
 * Where the freeze windows' one-time activation schedules live: an EventBridge Scheduler schedule group
 * and the role the scheduler assumes to invoke the freeze-activation function (nothing else). The
 * functions that arm schedules get `grantManageSchedules`. Schedules are derived from the calendar in
 * the table (a `rearm` activation recreates them), so the group goes with the stack.
 */
export class FreezeScheduling extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FreezeSchedulingProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', {
      description: 'Convoy freeze schedules: EventBridge Scheduler invokes the freeze-activation function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': this.scheduleArn('*') },
        },
      }),
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.activationFunctionArn] }),
    );
  }

  /** ARN of a schedule of the group (`*` allowed in the name). */
  scheduleArn(name: string): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/${name}`,
    });
  }

  /**
   * Create, replace and delete the activation schedules, and hand the scheduler its role. Acknowledges
   * on `role` the one wildcard this needs (schedule names come from windows created at run time).
   */
  grantManageSchedules(role: Role): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.scheduleArn(`${FREEZE_SCHEDULE_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.findingArn(`${FREEZE_SCHEDULE_PREFIX}*`)}]`,
      reason:
        'Activation schedules are named after freeze windows, which are created at run time through the API; ' +
        `the grant is limited to the ${FREEZE_SCHEDULE_PREFIX}* schedules of Convoy's own schedule group.`,
    });
  }

  /** How cdk-nag spells a schedule ARN of this group in a finding id (the group name is generated, literal). */
  private findingArn(name: string): string {
    return `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/${name}`;
  }
}
