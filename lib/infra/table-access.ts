import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { tableDefinition } from '#store/table.ts';

/** How much of the Convoy table a principal may touch. */
export type TableAccess = 'read' | 'readWrite' | 'audit';

/**
 * DynamoDB actions per access level: exactly the operations lib/store issues (GetItem, Query, PutItem,
 * TransactWriteItems of Put/Update/ConditionCheck). TransactWriteItems is not an IAM action: a
 * transaction is authorized item by item against PutItem, UpdateItem and ConditionCheckItem.
 * Nothing grants DeleteItem or BatchWriteItem: no function can remove an item (expiry goes through the
 * TTL attribute). Only `audit` (the audit routes and the checkpoint function) may Scan: verifying the
 * trail finds its chains in the table itself, not through an index a tamperer could edit. A store that starts using another operation adds its action here, in
 * one place.
 */
export const tableActions: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
  audit: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
};

/** The table and each of its indexes by name — never `index/*`, never `*`. */
export const tableResources = (table: ITable): string[] => [
  table.tableArn,
  `${table.tableArn}/index/${tableDefinition.gsi1.indexName}`,
];

/** One explicit statement scoped to the table and its indexes. */
export const grantTableAccess = (table: ITable, grantee: IGrantable, access: TableAccess): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...tableActions[access]], resources: tableResources(table) }),
  );
};
