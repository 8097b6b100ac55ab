import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { notFound } from '#domain/core/errors.ts';
import { parseDeploymentId } from '#domain/environments/head.ts';
import { statesNotReplaceableBy, type SinkName, type SinkStatus } from '#domain/environments/sink-status.ts';
import { expr, placeholders } from './expressions.ts';
import { deploymentFromItem } from './items.ts';
import { keys } from './keys.ts';
import type { SinkStatusWrite } from './ports.ts';
import { errorName, translateSdkError } from './sdk-errors.ts';
import type { TableClient } from './table-client.ts';

const missingRecord = (environment: string, deploymentId: string): Error =>
  notFound(`Deployment ${deploymentId} does not exist in ${environment}.`, { environment, deploymentId });

/**
 * The condition of a sink status write: the record exists and, when the new status names an AppConfig
 * deployment, the stored status of that same deployment is not in a state the new one may not replace.
 */
const conditionFor = (sink: SinkName, status: SinkStatus) => {
  const blocked = status.deploymentNumber === undefined ? [] : statesNotReplaceableBy(status.state);
  if (blocked.length === 0) return expr('attribute_exists(#pk)');
  const path = `#sinks.#${sink}`;
  const states = blocked.map((_, i) => `:blocked${i}`).join(', ');
  return expr(
    `attribute_exists(#pk) AND (attribute_not_exists(${path}) OR ` +
      `attribute_not_exists(${path}.#deploymentNumber) OR ${path}.#deploymentNumber <> :deploymentNumber OR ` +
      `NOT (${path}.#state IN (${states})))`,
    {
      deploymentNumber: status.deploymentNumber,
      ...Object.fromEntries(blocked.map((state, i) => [`blocked${i}`, state])),
    },
  );
};

/**
 * Update `sinks.<sink>` of a deployment record in place. Every committed record has `sinks` (an empty
 * map at commit), so the nested SET always has a parent. A refused write reads the record back to
 * say why: absent (`not-found`) or an outcome already recorded (returned, not thrown).
 */
export const setSinkStatus = async (
  table: TableClient,
  environment: string,
  deploymentId: string,
  sink: SinkName,
  status: SinkStatus,
): Promise<SinkStatusWrite> => {
  const parsed = parseDeploymentId(deploymentId);
  if (parsed?.environment !== environment) throw missingRecord(environment, deploymentId);
  const key = keys.deployment(environment, parsed.headVersion);
  const update = expr(`SET #sinks.#${sink} = :status`, { status });
  const condition = conditionFor(sink, status);
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: update.expression,
        ConditionExpression: condition.expression,
        ...placeholders(update, condition),
      }),
    );
    return { recorded: true, status };
  } catch (error) {
    if (errorName(error) !== 'ConditionalCheckFailedException') throw translateSdkError(error);
    const item = await table.get(key);
    if (!item) throw missingRecord(environment, deploymentId);
    const current = deploymentFromItem(item).record.sinks[sink];
    if (!current) throw translateSdkError(error);
    return { recorded: false, reason: 'outcome-recorded', current };
  }
};
