import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { tableDefinition } from '../store/table.ts';

/** How much of the Convoy table a principal may touch. */
export type TableAccess = 'read' | 'readWrite';

/**
 * DynamoDB actions per access level. TransactWriteItems and TransactGetItems are not IAM actions: a
 * transaction is authorized item by item against PutItem, UpdateItem, ConditionCheckItem and GetItem.
 * DeleteItem and Scan are not granted: Convoy never deletes items (expiry goes through the TTL
 * attribute) and never scans. BatchWriteItem is there for chunked snapshot writes.
 */
export const tableActions: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:DescribeTable',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:BatchWriteItem',
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
