import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTRIES, ConfigError, loadConfig, names } from '../../infra/config.js';
import { synthesizeAllCountries } from '../../infra/stacks/all-countries.js';
import { DEFAULT_FAIR_USE } from '../../shared/domain/fair-use.js';
import { type TableName, tables } from '../../shared/topology.js';
import { type CfnResource, resourceBy, resourcesOf } from './lookup.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

const configFor = (context: Record<string, unknown>) =>
  loadConfig({ node: new App({ context }).node, env: {} });

describe('loadConfig', () => {
  it('rejects an unknown country with the list of shipped ones', () => {
    expect(() => configFor({ country: 'XX' })).toThrow(ConfigError);
    expect(() => configFor({ country: 'XX' })).toThrow(/NL, DE, FR, IT, ES, GB, US, CA, AU, JP, CN/);
    expect(() => configFor({})).toThrow(/missing country/);
  });

  it('accepts a lower-case country code and defaults the stage to dev', () => {
    const config = configFor({ country: 'nl' });
    expect(config).toMatchObject({
      country: 'NL',
      stage: 'dev',
      prefix: 'clearway-nl-dev',
      protected: false,
    });
  });

  it('takes fair-use limits from context over the defaults, and refuses an unknown or non-positive one', () => {
    expect(configFor({ country: 'NL' }).fairUse).toEqual(DEFAULT_FAIR_USE);
    expect(configFor({ country: 'NL', fairUse: '{"requests": 120000}' }).fairUse).toEqual({
      ...DEFAULT_FAIR_USE,
      requests: 120_000,
    });
    expect(() => configFor({ country: 'NL', fairUse: { calls: 5 } })).toThrow(/unknown limit "calls"/);
    expect(() => configFor({ country: 'NL', fairUse: { requests: 0 } })).toThrow(/positive whole number/);
  });

  it("reads the stack's first month from context and refuses anything but a month", () => {
    expect(configFor({ country: 'NL' }).lifetimeStart).toBeUndefined();
    expect(configFor({ country: 'NL', lifetimeStart: '2026-01' }).lifetimeStart).toBe('2026-01');
    expect(() => configFor({ country: 'NL', lifetimeStart: '2026-13' })).toThrow(/lifetimeStart/);
  });

  it('rejects a stage that cannot be part of resource names', () => {
    expect(() => configFor({ country: 'NL', stage: 'Prod_1' })).toThrow(ConfigError);
  });

  it('reads platforms and agencies as a list, a comma-separated string or a map by country', () => {
    expect(
      configFor({ country: 'NL', platforms: 'acme, globex' }).appClients.map((client) => client.subject),
    ).toEqual(['console', 'acme', 'globex']);
    const byCountry = configFor({
      country: 'DE',
      platforms: { NL: ['acme'], DE: ['globex'] },
      agencies: ['FOOD_SAFETY'],
    });
    expect(byCountry.appClients).toEqual([
      { subject: 'console', roles: ['officer', 'finance', 'admin'] },
      { subject: 'globex', roles: ['platform'] },
      { subject: 'FOOD_SAFETY', roles: ['agency'] },
    ]);
  });

  it('rejects duplicate or malformed subjects', () => {
    expect(() => configFor({ country: 'NL', platforms: 'acme,acme' })).toThrow(/Duplicate/);
    expect(() => configFor({ country: 'NL', platforms: ['acme corp'] })).toThrow(/not a valid subject/);
  });
});

describe('a second country and stage (CN, prod)', () => {
  let cn: Synthesized;
  const n = names({ country: 'CN', stage: 'prod' });

  beforeAll(() => {
    cn = synthesize({ country: 'CN', stage: 'prod' });
  });
  afterAll(disposeSyntheses);

  it('names its stacks and resources apart from NL dev', () => {
    expect([cn.stateful.stackName, cn.stateless.stackName]).toEqual([
      'clearway-cn-prod-stateful',
      'clearway-cn-prod-stateless',
    ]);
    const tableNames = resourcesOf(cn.templates.stateful, 'AWS::DynamoDB::Table').map(
      ([, table]) => table.Properties.TableName,
    );
    expect(tableNames.every((name) => String(name).startsWith('clearway-cn-prod-'))).toBe(true);
    const functionNames = resourcesOf(cn.templates.stateless, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.Properties.FunctionName,
    );
    expect(functionNames.every((name) => String(name).startsWith('clearway-cn-prod-'))).toBe(true);
    cn.templates.stateful.hasResourceProperties('AWS::Events::EventBus', { Name: n.bus() });
    cn.templates.stateless.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['clearway.cn'] },
    });
  });

  it.each(Object.keys(tables) as TableName[])(
    'protects the %s table from deletion and retains it',
    (table) => {
      const [, resource] = resourceBy(
        cn.templates.stateful,
        'AWS::DynamoDB::Table',
        'TableName',
        n.table(table),
      );
      expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
      expect(resource.DeletionPolicy).toBe('Retain');
    },
  );

  it('retains the user pool, the keys and the logs, and protects both stacks', () => {
    cn.templates.stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: { DeletionProtection: 'ACTIVE' },
    });
    for (const template of [cn.templates.stateful, cn.templates.stateless]) {
      template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    }
    cn.templates.stateless.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    cn.templates.stateless.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    expect(cn.stateful.terminationProtection && cn.stateless.terminationProtection).toBe(true);
  });

  it('archives a year of events', () => {
    cn.templates.stateful.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
  });

  it('alarms on the first bad one-minute datapoint', () => {
    for (const [, alarm] of resourcesOf(cn.templates.stateless, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties).toMatchObject({ Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    }
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    expect(cn.findings).toEqual([]);
  });
});

describe('onboarded platforms and agencies (NL)', () => {
  let nl: Synthesized;

  beforeAll(() => {
    nl = synthesize({ country: 'NL', context: { platforms: 'acme', agencies: 'FOOD_SAFETY' } });
  });
  afterAll(disposeSyntheses);

  it('creates a client-credentials app client per platform with the platform and subject scopes', () => {
    const [, client] = resourceBy(
      nl.templates.stateful,
      'AWS::Cognito::UserPoolClient',
      'ClientName',
      'clearway-nl-dev-acme',
    );
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      GenerateSecret: true,
    });
    const scopes = JSON.stringify(client.Properties.AllowedOAuthScopes);
    expect(scopes).toContain('/platform"');
    expect(scopes).toContain('/sub:acme"');
    expect(scopes).not.toMatch(/\/(officer|agency|finance|admin)"/);
  });

  it('defines each subject scope on the resource server and admits every client at the authorizer', () => {
    const [[, server]] = resourcesOf(nl.templates.stateful, 'AWS::Cognito::UserPoolResourceServer') as [
      [string, CfnResource],
    ];
    const scopes = (server.Properties.Scopes as { ScopeName: string }[]).map((scope) => scope.ScopeName);
    expect(scopes).toEqual(expect.arrayContaining(['sub:console', 'sub:acme', 'sub:FOOD_SAFETY']));
    const [[, authorizer]] = resourcesOf(nl.templates.stateless, 'AWS::ApiGatewayV2::Authorizer') as [
      [string, CfnResource],
    ];
    // The console back-end's machine client, one per onboarded platform and agency, and the staff sign-in client.
    expect((authorizer.Properties.JwtConfiguration as { Audience: unknown[] }).Audience).toHaveLength(4);
  });
});

describe('every shipped country', () => {
  it('synthesizes each country (dev) in one app with no unacknowledged cdk-nag finding', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'clearway-all-'));

    // Act
    const outcomes = synthesizeAllCountries({
      stage: 'dev',
      outdir,
      context: { 'aws:cdk:bundling-stacks': [] },
      env: {},
    });
    rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect(outcomes.map((outcome) => outcome.country)).toEqual([...COUNTRIES]);
    for (const outcome of outcomes) {
      expect(outcome.problems, outcome.country).toEqual([]);
      expect(outcome.stacks).toEqual([
        `clearway-${outcome.country.toLowerCase()}-dev-stateful`,
        `clearway-${outcome.country.toLowerCase()}-dev-stateless`,
      ]);
    }
  });
});
