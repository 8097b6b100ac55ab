import { describe, expect, test } from 'vitest';
import { routeGroups } from '#api/routes.ts';
import { routeGroupAccess } from '#infra/api-functions.ts';
import { tableActions } from '#infra/table-access.ts';
import { tableDefinition } from '#store/table.ts';
import { synthConvoy } from './support/convoy-app.ts';
import {
  allStatements,
  asArray,
  hasWildcard,
  logicalId,
  statementsOfRole,
  type PolicyStatementJson,
} from './support/template-query.ts';

const { stack, template } = synthConvoy();
const tableId = logicalId(stack.table);
const dynamoActions = (statements: PolicyStatementJson[]) =>
  statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('dynamodb:'));

describe('least privilege', () => {
  test('no DynamoDB statement has a wildcard action or resource', () => {
    const dynamo = allStatements(template).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      expect(hasWildcard(statement.Resource), JSON.stringify(statement)).toBe(false);
      expect(hasWildcard(statement.Action), JSON.stringify(statement)).toBe(false);
    }
  });

  test('the only statements on Resource "*" are X-Ray trace writes and the workflow log delivery', () => {
    const workflowRoles = [stack.overrideApproval, stack.progressiveRollout].map((w) =>
      logicalId(w.stateMachine.role),
    );
    const starOf = (role: string) => statementsOfRole(template, role).filter((s) => s.Resource === '*');
    const workflowStar = workflowRoles.flatMap(starOf);
    for (const role of workflowRoles)
      expect(
        starOf(role)
          .flatMap((s) => asArray(s.Action))
          .sort(),
        role,
      ).toEqual(
        [
          'logs:CreateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:UpdateLogDelivery',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
    // CodePipeline job results support no resource-level permissions either (the pipeline functions).
    const jobResults = ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'];
    const pipelineRoles = Object.values(stack.pipelineFunctions).map((fn) => logicalId(fn.role));
    const pipelineStar = pipelineRoles.flatMap(starOf).filter((s) => asArray(s.Action)[0] === jobResults[0]);
    expect(pipelineStar.map((s) => s.Action)).toEqual([jobResults, jobResults]);
    // AppConfig's name lookups support no resource-level permissions (test/infra/appconfig.test.ts).
    const appConfigLookups = (s: PolicyStatementJson) =>
      asArray(s.Action).every(
        (a) => a === 'appconfig:ListApplications' || a === 'appconfig:ListDeploymentStrategies',
      );
    const star = allStatements(template).filter(
      (s) =>
        s.Resource === '*' && !workflowStar.includes(s) && !pipelineStar.includes(s) && !appConfigLookups(s),
    );
    expect(star.length).toBe(stack.functions.size);
    for (const statement of star) {
      expect(statement.Action).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    }
  });

  test.each(routeGroups)('%s gets exactly its declared table access, on the table and gsi1', (group) => {
    const role = stack.functions.get(`api-${group}`)!.role;
    const statements = statementsOfRole(template, logicalId(role)).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements).toHaveLength(1);
    expect(dynamoActions(statements)).toEqual(tableActions[routeGroupAccess[group]]);
    expect(statements[0]?.Resource).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${tableDefinition.gsi1.indexName}`]] },
    ]);
  });

  test('read-only groups cannot write', () => {
    expect(routeGroupAccess.health).toBe('read');
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
    ];
    for (const action of writes) expect(tableActions.read).not.toContain(action);
  });

  test('only the audit functions may Scan: verify finds the chains in the table, not through an index', () => {
    expect(routeGroupAccess.audit).toBe('audit');
    expect(tableActions.audit).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:PutItem']));
    for (const access of ['read', 'readWrite'] as const)
      expect(tableActions[access]).not.toContain('dynamodb:Scan');
    const scanners = [...stack.functions.entries()]
      .filter(([, fn]) =>
        dynamoActions(statementsOfRole(template, logicalId(fn.role))).includes('dynamodb:Scan'),
      )
      .map(([id]) => id)
      .sort();
    expect(scanners).toEqual(['api-audit', 'audit-checkpoint']);
  });

  test('groups with a PUT or POST route can write, and nobody can delete', () => {
    for (const group of ['catalog', 'bundles', 'deployments', 'environments'] as const) {
      expect(routeGroupAccess[group]).toBe('readWrite');
    }
    expect(tableActions.readWrite).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    const granted = dynamoActions(allStatements(template));
    for (const forbidden of ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteTable']) {
      expect(granted).not.toContain(forbidden);
    }
  });

  test('each function writes only to its own log group', () => {
    for (const [id, fn] of stack.functions) {
      const logs = statementsOfRole(template, logicalId(fn.role)).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('logs:')),
      );
      expect(logs, id).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] },
        },
      ]);
    }
  });
});
