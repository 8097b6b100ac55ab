import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { routes, type RouteGroup } from '#api/routes.ts';
import { DashboardHosting, type DashboardHostingProps } from '#infra/dashboard-hosting.ts';
import { skipBundling } from './convoy-app.ts';

/**
 * The dashboard hosting alone, in a stack of its own with stand-in route functions (the whole Convoy
 * stack takes far longer to synthesize; test/infra/cdk-nag.test.ts checks it with the `dashboard` prop).
 * The CDK's built-in CloudFormation validation is off here (its engine takes 10-25 s to start on this
 * machine): the cdk-nag test synthesizes the whole stack with the dashboard with it on.
 */
export const synthDashboard = (props: DashboardHostingProps = {}) => {
  const app = new App({ context: skipBundling, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Convoy');
  const groups = [...new Set(routes.map((route) => route.group))];
  const handlers = Object.fromEntries(
    groups.map((group) => [
      group,
      new LambdaFunction(stack, `fn-${group}`, {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      }),
    ]),
  ) as Record<RouteGroup, LambdaFunction>;
  const dashboard = new DashboardHosting(stack, 'Dashboard', { ...props, routes, handlers });
  return { app, stack, dashboard, handlers, template: Template.fromStack(stack) };
};
