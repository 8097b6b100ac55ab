import { Duration } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { handlerEntry } from '#api/routes.ts';
import { tableActions } from '#infra/table-access.ts';
import { buildConvoy, synthConvoy } from './support/convoy-app.ts';
import { asArray, logicalId, resourcesOf, statementsOfRole } from './support/template-query.ts';
import { Template } from 'aws-cdk-lib/assertions';

describe('ConvoyStack for the next capabilities', () => {
  test('exposes the table, the audit bus, the API and every function', () => {
    const { stack } = synthConvoy();
    expect(stack.table.tableStreamArn).toBeDefined();
    expect(stack.auditBus.eventBusName).toBeDefined();
    expect(stack.api.httpApi.apiId).toBeDefined();
    // freeze-activation, override-decision, the three rollout tasks, rollout-execution-ended,
    // audit-checkpoint, the two pipeline functions and the release announcer.
    expect(stack.functions.size).toBe(Object.keys(stack.apiFunctions).length + 10);
  });

  test('addFunction adds a Convoy function with the stack conventions and its own table access', () => {
    const { stack } = buildConvoy({ logLevel: 'WARN' });
    // A handler that exists today stands in for a future workflow or scheduled entry.
    const fn = stack.addFunction('rollout-task', {
      entry: handlerEntry('health'),
      tableAccess: 'readWrite',
      timeout: Duration.seconds(30),
      environment: { CONVOY_EXTRA: 'yes' },
    });
    expect(stack.functions.get('rollout-task')).toBe(fn);
    const template = Template.fromStack(stack);
    expect(resourcesOf(template, 'AWS::Lambda::Function')[logicalId(fn.handler)]?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 30,
      Environment: {
        Variables: {
          CONVOY_EXTRA: 'yes',
          CONVOY_TABLE_NAME: { Ref: logicalId(stack.table) },
          POWERTOOLS_LOG_LEVEL: 'WARN',
        },
      },
    });
    const actions = statementsOfRole(template, logicalId(fn.role)).flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining([...tableActions.readWrite]));
  });

  test('a function that never touches the table gets no table access', () => {
    const { stack } = buildConvoy();
    const fn = stack.addFunction('notifier', { entry: handlerEntry('health'), tableAccess: 'none' });
    const template = Template.fromStack(stack);
    const actions = statementsOfRole(template, logicalId(fn.role)).flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  test('function ids are unique', () => {
    const { stack } = buildConvoy();
    stack.addFunction('once', { entry: handlerEntry('health'), tableAccess: 'read' });
    expect(() => stack.addFunction('once', { entry: handlerEntry('health'), tableAccess: 'read' })).toThrow(
      /already exists/,
    );
  });
});
