import { describe, expect, it } from 'vitest';
import { createTestTable } from '../support/dynamo.ts';

describe('harness', () => {
  it('creates a table in DynamoDB Local', async () => {
    const table = await createTestTable();
    expect(await table.dump()).toEqual([]);
    await table.drop();
  });
});
