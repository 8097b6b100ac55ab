import type { EvaluationTally } from '#domain/flags/evaluation-tally.ts';
import type { Checkpoints } from '#integrations/checkpoint-ports.ts';
import type {
  AppConfigPublisher,
  EventPublisher,
  SchedulePlanner,
  WorkflowEngine,
} from '#integrations/ports.ts';
import type { ConvoyStore } from '#store/ports.ts';

/** What the use cases need from the outside world: built once by a composition root and passed in. */
export interface Deps {
  store: ConvoyStore;
  now: () => Date;
  events: EventPublisher;
  workflows: WorkflowEngine;
  schedules: SchedulePlanner;
  appconfig: AppConfigPublisher;
  /** Signed audit checkpoints (KMS + S3 Object Lock on AWS, a local key and folder embedded). */
  checkpoints?: Checkpoints;
  /** Server-side evaluation counts buffered between writes (one per process); absent: written at once. */
  evaluationTally?: EvaluationTally;
}
