import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let engine: DynamoDbLocal | undefined;

/** One DynamoDB Local for the whole run; every test file creates its own table in it. */
export async function setup(project: TestProject): Promise<void> {
  engine = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', engine.endpoint);
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}
