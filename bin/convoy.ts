#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConvoyStack } from '../lib/infra/convoy-stack.ts';

/** The CDK app (cdk.json "app"): the Convoy stack, checked by cdk-nag's AWS Solutions rules. */
const app = new App();
new ConvoyStack(app, 'Convoy', {
  description: 'Convoy: release-oriented configuration management',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
