// Typed per-stage configuration, read once from CDK context (`-c country=NL -c stage=prod`) and the
// CDK_DEFAULT_* environment. Every physical name comes from `resourcePrefix(country, stage)`, so several
// countries and stages coexist in one account.
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_FAIR_USE, type FairUseLimits } from '../shared/domain/fair-use.js';
import {
  type BusRule,
  eventBusName,
  type FunctionName,
  type QueueName,
  ROLES,
  type Role,
  resourcePrefix,
  type TableName,
} from '../shared/topology.js';

/** Countries with a shipped rule pack; one stack set each. */
export const COUNTRIES = ['NL', 'DE', 'FR', 'IT', 'ES', 'GB', 'US', 'CA', 'AU', 'JP', 'CN'] as const;
export type Country = (typeof COUNTRIES)[number];

/** The project root (the folder holding package.json); function entries in topology are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** OAuth resource server identifier: scopes are `clearway/<role>` and `clearway/sub:<subject>`. */
export const RESOURCE_SERVER_ID = 'clearway';
export const roleScope = (role: Role): string => `${RESOURCE_SERVER_ID}/${role}`;
export const subjectScopeName = (subject: string): string => `sub:${subject}`;

/**
 * A machine client of the API (OAuth2 client credentials). Its token carries `clearway/<role>` for each
 * role and `clearway/sub:<subject>`; the subject is the platform id or the agency code.
 */
export interface AppClientConfig {
  subject: string;
  roles: Role[];
}

export interface AlarmConfig {
  /** Period of every alarm's metric. */
  period: Duration;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** Lambda `Errors` (sum per period) at or above which a function alarms. */
  functionErrors: number;
  /** API 5xx responses (sum per period) at or above which the API alarms. */
  api5xx: number;
  /** API p99 latency (ms) above which the API alarms. */
  apiLatencyP99Ms: number;
}

export interface ThrottleConfig {
  rateLimit: number;
  burstLimit: number;
}

export interface StageConfig {
  country: Country;
  stage: string;
  /** `clearway-<country>-<stage>`, the root of every physical name. */
  prefix: string;
  account: string | undefined;
  region: string | undefined;
  /** Anything but `dev`: deletion protection, RETAIN, long retention, sensitive alarms. */
  protected: boolean;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  logRetention: RetentionDays;
  archiveRetention: Duration;
  powertoolsLogLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  alarms: AlarmConfig;
  /** Stage-wide API throttling. */
  apiThrottle: ThrottleConfig;
  /** Throttling of each public route (no token needed), stricter than the stage default. */
  publicRouteThrottle: ThrottleConfig;
  /** Machine clients created in the user pool: the console, then each onboarded platform and agency. */
  appClients: AppClientConfig[];
  /** Optional e-mail subscribed to the alarm topic. */
  alarmEmail: string | undefined;
  /** Cognito hosted-domain prefix (unique per region across AWS); defaults to `<prefix>-<account>`. */
  authDomainPrefix: string | undefined;
  /**
   * The stack's first month (`-c lifetimeStart=2026-01`): public statistics refuse earlier months. Unset,
   * the functions take the month the ledger table was created; set it when the tables were restored.
   */
  lifetimeStart: string | undefined;
  /** Fair-use limits per caller (DESIGN 14): the defaults, or `-c fairUse='{"requests": 60000}'`. */
  fairUse: FairUseLimits;
}

/**
 * Physical names, derived from country and stage; shared by both stacks (and, through topology, the local
 * runtime) so neither stack needs the other's tokens to name a resource.
 */
export const names = (config: Pick<StageConfig, 'country' | 'stage'>) => {
  const prefix = resourcePrefix(config.country, config.stage);
  return namesFor(prefix, eventBusName(config.country, config.stage));
};

const namesFor = (prefix: string, bus: string) => ({
  stack: (kind: 'stateful' | 'stateless'): string => `${prefix}-${kind}`,
  table: (table: TableName): string => `${prefix}-${table}`,
  queue: (queue: QueueName): string => `${prefix}-${queue}`,
  deadLetterQueue: (queue: QueueName): string => `${prefix}-${queue}-dlq`,
  bus: (): string => bus,
  archive: (): string => `${prefix}-events`,
  rule: (rule: BusRule): string => `${prefix}-${rule.name}`,
  function: (fn: FunctionName): string => `${prefix}-${fn}`,
  userPool: (): string => `${prefix}-clients`,
  appClient: (client: AppClientConfig): string => `${prefix}-${client.subject}`,
  api: (): string => `${prefix}-api`,
  alarmTopic: (): string => `${prefix}-alarms`,
  alarm: (what: string): string => `${prefix}-${what}`,
  dashboard: (): string => prefix,
  keyAlias: (what: string): string => `alias/${prefix}-${what}`,
  stackSecret: (): string => `${prefix}-stack-secret`,
});

const STAGE_PATTERN = /^[a-z][a-z0-9]{0,9}$/;
/** A platform id or agency code: it becomes the `clearway/sub:<subject>` scope and part of a client name. */
export const SUBJECT_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;
/** Cognito allows 100 custom scopes per resource server: five roles plus one subject scope per client. */
const MAX_APP_CLIENTS = 100 - ROLES.length;

/** The administration's own console back-end: officers, finance and admin act through it. */
const CONSOLE_CLIENT: AppClientConfig = { subject: 'console', roles: ['officer', 'finance', 'admin'] };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const isCountry = (value: unknown): value is Country =>
  typeof value === 'string' && (COUNTRIES as readonly string[]).includes(value);

type ContextReader = Pick<Node, 'tryGetContext'>;

/**
 * Reads a list of subjects from context. Accepts a comma-separated string (`-c platforms=acme,globex`),
 * an array, or an object keyed by country (`{"NL": ["acme"], "DE": ["globex"]}` in cdk.json).
 */
const subjectList = (raw: unknown, country: Country, key: string): string[] => {
  if (raw === undefined || raw === null || raw === '') return [];
  const forCountry =
    typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[country] : raw;
  if (forCountry === undefined) return [];
  const list =
    typeof forCountry === 'string'
      ? forCountry.split(',')
      : Array.isArray(forCountry)
        ? forCountry
        : undefined;
  if (!list)
    throw new ConfigError(`Context "${key}" must be a list, a comma-separated string or a map by country`);
  return list.map((item) => {
    const subject = String(item).trim();
    if (!SUBJECT_PATTERN.test(subject)) {
      throw new ConfigError(
        `Context "${key}": "${subject}" is not a valid subject (${SUBJECT_PATTERN.source})`,
      );
    }
    return subject;
  });
};

export interface ConfigSources {
  node: ContextReader;
  env?: NodeJS.ProcessEnv;
}

/** The country code, upper-cased; a ConfigError lists the shipped ones otherwise. */
export const parseCountry = (raw: unknown): Country => {
  const country = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (!isCountry(country)) {
    throw new ConfigError(
      `Unknown or missing country "${String(raw ?? '')}": pass -c country=<code>, one of ${COUNTRIES.join(', ')}`,
    );
  }
  return country;
};

export const parseStage = (raw: unknown): string => {
  const stage = String(raw ?? 'dev');
  if (!STAGE_PATTERN.test(stage)) {
    throw new ConfigError(
      `Invalid stage "${stage}": lowercase letters and digits, starting with a letter, at most 10`,
    );
  }
  return stage;
};

/** Builds the stage configuration; throws a ConfigError naming the bad input. */
export const loadConfig = ({ node, env = process.env }: ConfigSources): StageConfig => {
  const country = parseCountry(node.tryGetContext('country'));
  const stage = parseStage(node.tryGetContext('stage'));
  const isProtected = stage !== 'dev';
  const prefix = resourcePrefix(country, stage);

  const platforms = subjectList(node.tryGetContext('platforms'), country, 'platforms');
  const agencies = subjectList(node.tryGetContext('agencies'), country, 'agencies');
  // Designated postal operators (role `post`), e.g. PostNL: filers like platforms.
  const posts = subjectList(node.tryGetContext('posts'), country, 'posts');
  const appClients: AppClientConfig[] = [
    CONSOLE_CLIENT,
    ...platforms.map((subject): AppClientConfig => ({ subject, roles: ['platform'] })),
    ...posts.map((subject): AppClientConfig => ({ subject, roles: ['post'] })),
    ...agencies.map((subject): AppClientConfig => ({ subject, roles: ['agency'] })),
  ];
  const seen = new Set<string>();
  for (const client of appClients) {
    if (seen.has(client.subject)) throw new ConfigError(`Duplicate app client subject "${client.subject}"`);
    seen.add(client.subject);
  }
  if (appClients.length > MAX_APP_CLIENTS) {
    throw new ConfigError(`At most ${MAX_APP_CLIENTS} app clients per country (Cognito custom scope limit)`);
  }

  const alarmEmail = node.tryGetContext('alarmEmail');
  const fairUse = fairUseOf(node.tryGetContext('fairUse'));
  const lifetimeStart = node.tryGetContext('lifetimeStart');
  if (
    lifetimeStart !== undefined &&
    !(typeof lifetimeStart === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(lifetimeStart))
  ) {
    throw new ConfigError(
      `Context "lifetimeStart" must be a month such as 2026-01, got "${String(lifetimeStart)}"`,
    );
  }
  const authDomainPrefix = node.tryGetContext('authDomainPrefix');
  return {
    country,
    stage,
    prefix,
    account: node.tryGetContext('account') ?? env.CDK_DEFAULT_ACCOUNT,
    region: node.tryGetContext('region') ?? env.CDK_DEFAULT_REGION,
    protected: isProtected,
    removalPolicy: isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: isProtected,
    logRetention: isProtected ? RetentionDays.ONE_YEAR : RetentionDays.ONE_WEEK,
    archiveRetention: Duration.days(isProtected ? 365 : 30),
    powertoolsLogLevel: isProtected ? 'INFO' : 'DEBUG',
    alarms: isProtected
      ? {
          period: Duration.minutes(1),
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          functionErrors: 1,
          api5xx: 1,
          apiLatencyP99Ms: 2000,
        }
      : {
          period: Duration.minutes(5),
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          functionErrors: 5,
          api5xx: 10,
          apiLatencyP99Ms: 5000,
        },
    apiThrottle: isProtected ? { rateLimit: 500, burstLimit: 1000 } : { rateLimit: 50, burstLimit: 100 },
    publicRouteThrottle: isProtected ? { rateLimit: 20, burstLimit: 40 } : { rateLimit: 5, burstLimit: 10 },
    appClients,
    alarmEmail: typeof alarmEmail === 'string' && alarmEmail !== '' ? alarmEmail : undefined,
    authDomainPrefix:
      typeof authDomainPrefix === 'string' && authDomainPrefix !== '' ? authDomainPrefix : undefined,
    lifetimeStart,
    fairUse,
  };
};

/** The default limits with the ones context overrides (a JSON object or string), each a positive integer. */
const fairUseOf = (raw: unknown): FairUseLimits => {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_FAIR_USE;
  let given: unknown = raw;
  if (typeof raw === 'string') {
    try {
      given = JSON.parse(raw);
    } catch {
      throw new ConfigError('Context "fairUse" must be a JSON object such as {"requests": 60000}');
    }
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new ConfigError('Context "fairUse" must be an object of limits');
  const limits = { ...DEFAULT_FAIR_USE };
  for (const [name, value] of Object.entries(given)) {
    if (!(name in DEFAULT_FAIR_USE))
      throw new ConfigError(
        `Context "fairUse": unknown limit "${name}" (${Object.keys(DEFAULT_FAIR_USE).join(', ')})`,
      );
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new ConfigError(`Context "fairUse": ${name} must be a positive whole number`);
    limits[name as keyof FairUseLimits] = value as number;
  }
  return limits;
};

/** `declarations` -> `Declarations`: construct ids from topology keys. */
export const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);
