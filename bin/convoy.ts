#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConvoyStack } from '#infra/convoy-stack.ts';

/** The CDK app (cdk.json "app"): the Convoy stack, checked by cdk-nag's AWS Solutions rules
 * (cdk-nag v3: a policy-validation plugin; any unacknowledged finding fails the synth). */
const app = new App();
// Environment-agnostic: the stack needs no lookups, so it deploys to whichever account and region the
// credentials target, and every ARN stays a deploy-time token (as the infra tests synthesize it).
// -c appconfigApplication=<name> -c appconfigEnvironments=dev,prod-eu: the stack also creates the
// AppConfig application, its environments and the config, feature-flag and flag-set profiles bindings name.
const appConfigApplication = app.node.tryGetContext('appconfigApplication') as string | undefined;
const appConfigEnvironments = String(app.node.tryGetContext('appconfigEnvironments') ?? '');
// -c dashboard=true: the dashboard on S3 + CloudFront with Cognito sign-in (README "Dashboard on AWS");
// -c dashboardCallbackUrls=http://localhost:4310/ adds sign-in callbacks.
const dashboard = String(app.node.tryGetContext('dashboard') ?? '') === 'true';
const dashboardCallbackUrls = String(app.node.tryGetContext('dashboardCallbackUrls') ?? '')
  .split(',')
  .filter((url) => url.length > 0);
new ConvoyStack(app, 'Convoy', {
  description: 'Convoy: release-oriented configuration management',
  ...(appConfigApplication
    ? {
        appConfig: {
          application: appConfigApplication,
          environments: appConfigEnvironments.split(',').filter((e) => e.length > 0),
        },
      }
    : {}),
  ...(dashboard ? { dashboard: { callbackUrls: dashboardCallbackUrls } } : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
