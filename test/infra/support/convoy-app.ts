import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConvoyStack, type ConvoyStackProps } from '#infra/convoy-stack.ts';

/** Bundling is skipped (no esbuild run): infra tests check the template, not the bundles. */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] };

export interface ConvoyTestApp {
  app: App;
  stack: ConvoyStack;
  template: Template;
}

/**
 * A fresh app with the Convoy stack, bundling skipped, not yet synthesized (add to it, then synth).
 * CDK's own CloudFormation validation (10-25 s per process) is left to test/infra/cdk-nag.test.ts,
 * which synthesizes the whole stack with it; these tests assert resources, not the schema.
 */
export const buildConvoy = (props: ConvoyStackProps = {}): Omit<ConvoyTestApp, 'template'> => {
  const app = new App({ context: skipBundling, builtinCloudFormationValidation: false });
  return { app, stack: new ConvoyStack(app, 'Convoy', props) };
};

/** A fresh app with the Convoy stack, bundling skipped, synthesized. */
export const synthConvoy = (props: ConvoyStackProps = {}): ConvoyTestApp => {
  const built = buildConvoy(props);
  return { ...built, template: Template.fromStack(built.stack) };
};
