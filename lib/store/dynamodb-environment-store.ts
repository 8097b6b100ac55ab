import type { AuditEvent } from '#domain/audit/event.ts';
import { notFound } from '#domain/core/errors.ts';
import type { JsonObject } from '#domain/core/json.ts';
import { parseDeploymentId, type DeploymentRecord, type Head } from '#domain/environments/head.ts';
import type { SinkName, SinkStatus } from '#domain/environments/sink-status.ts';
import { auditEventPut, chainEvents, requestToken } from './chain-writer.ts';
import { setSinkStatus } from './deployment-sinks.ts';
import { commitChange } from './environment-commit.ts';
import { original, readCommitted } from './idempotency.ts';
import { expr } from './expressions.ts';
import { deploymentFromItem, headFromItem, str } from './items.ts';
import { itemTypes, keys } from './keys.ts';
import type {
  Actor,
  CommitResult,
  EnvironmentChange,
  EnvironmentStore,
  ServiceReportEffects,
  ServiceVersion,
  SinkStatusWrite,
} from './ports.ts';
import { unavailable } from './sdk-errors.ts';
import { backoff, CONDITION_FAILED, type Item, type TableClient } from './table-client.ts';

const REPORT_ATTEMPTS = 6;

const serviceOf = (item: Item): ServiceVersion => ({
  service: str(item, 'service'),
  version: str(item, 'version'),
  reportedAt: str(item, 'reportedAt'),
  reportedBy: str(item, 'reportedBy'),
});

/** Environment HEADs, their deployment records, idempotency entries and reported service versions. */
export class DynamoDbEnvironmentStore implements EnvironmentStore {
  readonly table: TableClient;

  constructor(table: TableClient) {
    this.table = table;
  }

  async getHead(environment: string): Promise<Head | undefined> {
    const item = await this.table.get(keys.envHead(environment));
    return item && headFromItem(item);
  }

  /** From the `HEADS` gsi1 partition (eventually consistent, like any GSI read). */
  async listHeads(): Promise<Head[]> {
    const { items } = await this.table.query({
      index: 'gsi1',
      keyCondition: expr('#gsi1pk = :pk AND begins_with(#gsi1sk, :prefix)', {
        pk: keys.headIndexPartition,
        prefix: keys.envHeadIndexPrefix,
      }),
    });
    return items.map(headFromItem);
  }

  commit(change: EnvironmentChange): Promise<CommitResult> {
    return commitChange(this.table, change);
  }

  async getDeployment(environment: string, id: string): Promise<DeploymentRecord | undefined> {
    const parsed = parseDeploymentId(id);
    if (parsed?.environment !== environment) return undefined;
    const item = await this.table.get(keys.deployment(environment, parsed.headVersion));
    return item && deploymentFromItem(item).record;
  }

  async listDeployments(environment: string, limit = 50): Promise<DeploymentRecord[]> {
    const { items } = await this.table.query(
      {
        keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
          pk: keys.envPartition(environment),
          prefix: keys.deploymentPrefix,
        }),
        newestFirst: true,
      },
      limit,
    );
    return items.map((item) => deploymentFromItem(item).record);
  }

  setSinkStatus(
    environment: string,
    deploymentId: string,
    sink: SinkName,
    status: SinkStatus,
  ): Promise<SinkStatusWrite> {
    return setSinkStatus(this.table, environment, deploymentId, sink, status);
  }

  async findByIdempotencyKey(environment: string, key: string): Promise<DeploymentRecord | undefined> {
    const entry = await this.table.get(keys.idempotency(environment, key));
    return entry && (await readCommitted(this.table, environment, str(entry, 'deploymentId'))).deployment;
  }

  replay(
    environment: string,
    key: string,
    request: { requestHash: string; at: string },
  ): Promise<CommitResult | undefined> {
    return original(this.table, environment, key, request);
  }

  async listServices(environment: string): Promise<ServiceVersion[]> {
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.envPartition(environment),
        prefix: keys.servicePrefix,
      }),
    });
    return items.map(serviceOf);
  }

  /**
   * ONE transaction: Put the service item, move the environment chain on HEAD (condition: audit seq as
   * read, version untouched) and Put the `ServiceVersionReported` event. A report of the version already
   * recorded changes nothing. Lost races on the audit position are retried. `effects` adds its events
   * after that one, in the same transaction; the audit condition on HEAD makes them hold for the HEAD
   * they were computed on (a deploy in between moves the chain: the attempt is retried).
   */
  async reportService(
    environment: string,
    service: string,
    version: string,
    actor: Actor,
    effects?: ServiceReportEffects,
  ): Promise<ServiceVersion> {
    for (let attempt = 1; attempt <= REPORT_ATTEMPTS; attempt += 1) {
      const [head, existing] = await Promise.all([
        this.getHead(environment),
        this.table.get(keys.service(environment, service)),
      ]);
      if (!head) {
        throw notFound(`Environment ${environment} has no HEAD; apply a catalog that lists it.`, {
          environment,
        });
      }
      const previous = existing && serviceOf(existing);
      if (previous?.version === version) return previous;
      const detail: JsonObject = {
        service,
        version,
        ...(previous ? { previousVersion: previous.version } : {}),
      };
      const drafts = [
        {
          type: 'ServiceVersionReported',
          at: actor.at,
          actor: actor.principal,
          subject: environment,
          detail,
        },
        ...(effects
          ? await effects({ head, ...(previous ? { previousVersion: previous.version } : {}) })
          : []),
      ];
      const events = chainEvents(environment, head.audit, drafts);
      const event = events.at(-1) as AuditEvent;
      const reported: ServiceVersion = {
        service,
        version,
        reportedAt: actor.at,
        reportedBy: actor.principal,
      };
      const outcome = await this.table.transact(
        [
          this.table.putOp(
            { ...keys.service(environment, service), type: itemTypes.service, environment, ...reported },
            previous
              ? expr('#version = :previous', { previous: previous.version })
              : expr('attribute_not_exists(#pk)'),
          ),
          this.table.updateOp(
            keys.envHead(environment),
            { auditSeq: event.seq, auditHash: event.hash },
            expr('#auditSeq = :seq', { seq: head.audit.seq }),
          ),
          ...events.map((e) => auditEventPut(this.table, e)),
        ],
        requestToken(this.table, `service:${event.hash}`),
      );
      if (outcome.status === 'committed') return reported;
      const lostRace =
        outcome.status === 'cancelled' && outcome.reasons.some((r) => r.code === CONDITION_FAILED);
      if (!lostRace) break;
      await backoff(attempt);
    }
    throw unavailable(
      new Error(`reportService ${environment}/${service}: gave up after ${REPORT_ATTEMPTS} attempts`),
    );
  }
}
