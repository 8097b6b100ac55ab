import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '#store/table.ts';

export interface EnsuredTable {
  created: boolean;
  /** Undefined when the table has no stream (a table created elsewhere): the relay then polls. */
  streamArn: string | undefined;
}

const describe = async (client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const waitUntilActive = async (client: DynamoDBClient, tableName: string): Promise<TableDescription> => {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const table = await describe(client, tableName);
    if (table?.TableStatus === 'ACTIVE') return table;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE.`);
};

/** Create the Convoy table from the one shared definition unless it already exists. */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<EnsuredTable> => {
  let created = false;
  if (!(await describe(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (error) {
      // Another process created it first: fine, it has the same definition.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const table = await waitUntilActive(client, tableName);
  return { created, streamArn: table.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined };
};
