import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { routeGroups, routeKey, routes } from '#api/routes.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { logicalId, resourcesOf } from './support/template-query.ts';

const { stack, template } = synthConvoy();
const functionId = (group: (typeof routeGroups)[number]) => logicalId(stack.apiFunctions[group]);

const apiRoutes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');

/** The function logical id a route's integration invokes. */
const targetFunctionOf = (routeKeyValue: string): string | undefined => {
  const route = apiRoutes.find((r) => r.Properties?.RouteKey === routeKeyValue);
  const target = JSON.stringify(route?.Properties?.Target);
  const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
  const uri = integrationId ? integrations[integrationId]?.Properties?.IntegrationUri : undefined;
  return (uri as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
};

describe('the HTTP API', () => {
  test('is one HTTP API', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: 'Convoy-api' });
  });

  test('has exactly one route per entry of the route table', () => {
    expect(apiRoutes.map((r) => r.Properties?.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  test.each(routes.map((route) => [routeKey(route), route.group] as const))(
    '%s requires IAM authorization and invokes the %s function',
    (key, group) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'AWS_IAM',
      });
      expect(targetFunctionOf(key)).toBe(functionId(group));
    },
  );

  test('has no unauthenticated route', () => {
    expect(apiRoutes.filter((r) => r.Properties?.AuthorizationType !== 'AWS_IAM')).toEqual([]);
  });

  test('has one Lambda proxy integration (payload 2.0) per route group', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', routeGroups.length);
    for (const integration of Object.values(integrations)) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
  });

  test('lets API Gateway invoke each function on its own routes only', () => {
    // EventBridge rules invoke other functions (checkpoints, execution ends): API Gateway's are one per route.
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (p) => p.Properties?.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(routes.length);
    for (const route of routes) {
      const matching = permissions.filter((p) => {
        const fn = (p.Properties?.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
        return (
          fn === functionId(route.group) &&
          JSON.stringify(p.Properties?.SourceArn).endsWith(`/*/*${route.path}"]]}`)
        );
      });
      // one per route; routes sharing a path (GET and PUT /catalog) get identical permissions
      expect(matching.length, routeKey(route)).toBeGreaterThanOrEqual(1);
      expect(matching[0]?.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
    }
  });

  test('serves the $default stage, auto-deployed and throttled', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  test('writes JSON access logs, with the IAM caller, to a retained log group', () => {
    const accessLogs = logicalId(stack.api.accessLogs);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] },
        Format: Match.serializedJson(
          Match.objectLike({
            requestId: '$context.requestId',
            userArn: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
          }),
        ),
      },
    });
    expect(template.toJSON().Resources[accessLogs]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 365 },
    });
  });

  test('takes its throttling from the stack props', () => {
    const custom = synthConvoy({ apiThrottle: { rateLimit: 5, burstLimit: 10 } }).template;
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  test('exposes its URL as a stack output', () => {
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    expect(stack.api.routes.size).toBe(routes.length);
  });
});
