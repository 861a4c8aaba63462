// Finds resources in synthesized templates by what they are (a function's physical name, its role's
// policy statements) rather than by generated logical ids.
import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const resourcesOf = (template: Template, type: string): [string, CfnResource][] =>
  Object.entries(template.findResources(type) as Record<string, CfnResource>);

/** The one resource of `type` whose property `key` equals `value`. */
export const resourceBy = (
  template: Template,
  type: string,
  key: string,
  value: unknown,
): [string, CfnResource] => {
  const matches = resourcesOf(template, type).filter(([, resource]) => resource.Properties[key] === value);
  if (matches.length !== 1)
    throw new Error(`Expected one ${type} with ${key}=${String(value)}, found ${matches.length}`);
  return matches[0] as [string, CfnResource];
};

export const actionsOf = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourceTexts = (statement: PolicyStatement): string[] =>
  (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((resource) =>
    typeof resource === 'string' ? resource : JSON.stringify(resource),
  );

/** Every statement of every IAM policy attached to the execution role of the named function. */
export const statementsOfFunction = (template: Template, functionName: string): PolicyStatement[] => {
  const [, fn] = resourceBy(template, 'AWS::Lambda::Function', 'FunctionName', functionName);
  const roleLogicalId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
    );
};

export const DYNAMODB_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
