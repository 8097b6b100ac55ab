import { Duration, SecretValue, Validations } from 'aws-cdk-lib';
import {
  ApiDestination,
  Authorization,
  Connection,
  HttpMethod,
  Rule,
  type IEventBus,
} from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RELEASE_EVENT_SOURCE } from '#domain/releases/release-notification.ts';

export interface ReleaseWebhookProps {
  /** The HTTPS endpoint of a ticketing or chat webhook. */
  url: string;
  /** A Secrets Manager secret holding the value of `header` (e.g. `Bearer …` or an API key). */
  secretName: string;
  /** @default Authorization */
  header?: string;
  /** Deliveries per second the endpoint accepts. @default 5 */
  rateLimitPerSecond?: number;
}

export interface ReleaseWebhookBindingProps extends ReleaseWebhookProps {
  eventBus: IEventBus;
}

/**
 * Release lifecycle events (ReleaseDefined, ReleaseSignedOff, ReleaseDeployed, ReleaseRolledBack,
 * ReleasePartial) routed from the `convoy` bus to a webhook through an EventBridge API destination,
 * retried for a day and kept in a dead-letter queue when the endpoint keeps failing.
 */
export class ReleaseWebhook extends Construct {
  readonly rule: Rule;
  readonly destination: ApiDestination;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ReleaseWebhookBindingProps) {
    super(scope, id);
    if (!props.url.startsWith('https://')) throw new Error('The release webhook must be an https:// URL.');
    const connection = new Connection(this, 'Connection', {
      description: 'Convoy release notifications',
      authorization: Authorization.apiKey(
        props.header ?? 'Authorization',
        SecretValue.secretsManager(props.secretName),
      ),
    });
    this.destination = new ApiDestination(this, 'Destination', {
      connection,
      endpoint: props.url,
      httpMethod: HttpMethod.POST,
      rateLimitPerSecond: props.rateLimitPerSecond ?? 5,
      description: 'Convoy release lifecycle webhook',
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.eventBus,
      description: 'Release lifecycle events to the release webhook',
      eventPattern: { source: [RELEASE_EVENT_SOURCE] },
      targets: [
        new ApiDestinationTarget(this.destination, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the webhook target’s dead-letter queue; a dead-letter queue for it would have no consumer.',
    });
  }
}
