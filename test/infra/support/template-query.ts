import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Logical id of a construct's CloudFormation resource (its default child for L2 constructs). */
export const logicalId = (construct: IConstruct): string => {
  const element = construct.node.defaultChild ?? construct;
  if (!CfnElement.isCfnElement(element))
    throw new Error(`${construct.node.path} has no CloudFormation element`);
  return Stack.of(construct).getLogicalId(element);
};

export const resourcesOf = (template: Template, type: string): Record<string, CfnResourceJson> =>
  template.findResources(type) as Record<string, CfnResourceJson>;

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the IAM policies attached to one role (by the role's logical id). */
export const statementsOfRole = (template: Template, roleLogicalId: string): PolicyStatementJson[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleLogicalId}"`))
    .flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
    );

/** Every IAM policy statement of the template. */
export const allStatements = (template: Template): PolicyStatementJson[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
  );

/** True if a (possibly intrinsic) resource value contains a `*` in any literal part. */
export const hasWildcard = (resource: unknown): boolean => {
  if (typeof resource === 'string') return resource.includes('*');
  if (Array.isArray(resource)) return resource.some(hasWildcard);
  if (resource && typeof resource === 'object') return Object.values(resource).some(hasWildcard);
  return false;
};
