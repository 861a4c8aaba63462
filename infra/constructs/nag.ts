// cdk-nag 3 plumbing: registering the AwsSolutions pack, naming exact findings to acknowledge, and reading
// back what it reported and what was acknowledged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The text cdk-nag uses for a resource in a finding id such as `AwsSolutions-IAM5[Resource::<text>]`:
 * `Ref`s become `<Name>`, `Fn::GetAtt`s `<Resource.Attribute>`, `Fn::Join`s are joined. Computing it from
 * the same token the grant used keeps the acknowledgement tied to that one resource.
 */
export const nagResourceText = (scope: IConstruct, value: string): string => {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record['Fn::Join'])) {
        const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if (Array.isArray(record['Fn::GetAtt'])) {
        const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(resource)}.${visit(attribute)}>`;
      }
      if ('Ref' in record) return `<${visit(record.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
};

export const NAG_PACK = 'AwsSolutions';

/** A finding cdk-nag reported and nobody acknowledged. */
export interface NagFinding {
  rule: string;
  severity: string;
  path: string;
  description: string;
}

interface ValidationReport {
  pluginReports?: {
    pluginName: string;
    violations?: {
      ruleName: string;
      description: string;
      severity: string;
      violatingConstructs?: { constructPath?: string }[];
    }[];
  }[];
}

/**
 * cdk-nag 3 is a policy-validation plugin: its findings are not annotations but entries of the cloud
 * assembly's validation report (`validation-report.json`), which this reads back.
 */
export const nagFindings = (assemblyDirectory: string, pack = NAG_PACK): NagFinding[] => {
  const file = join(assemblyDirectory, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return (report.pluginReports ?? [])
    .filter((plugin) => plugin.pluginName === pack)
    .flatMap((plugin) =>
      (plugin.violations ?? []).flatMap((violation) =>
        (violation.violatingConstructs ?? [{}]).map((construct) => ({
          rule: violation.ruleName,
          severity: violation.severity,
          path: construct.constructPath ?? '(unknown)',
          description: violation.description,
        })),
      ),
    );
};

/** One `Validations.of(x).acknowledge(...)` recorded in the construct tree. */
export interface NagAcknowledgement {
  path: string;
  id: string;
  reason: string;
}

export const nagAcknowledgements = (root: IConstruct, pack = NAG_PACK): NagAcknowledgement[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason }))
      .filter((acknowledgement) => acknowledgement.id.startsWith(`${pack}-`)),
  );

/** Registers the AwsSolutions pack the cdk-nag 3 way: a validation plugin, not an Aspect. */
export const addNagChecks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
};
