// The Cognito user pool that issues OAuth2 client-credentials tokens to machine clients (platforms,
// agencies' single-window systems, the administration's console back-end), and tokens to the
// administration's staff, who sign in to the console through the hosted UI as named users: one group per
// staff role, an agency user's code in `custom:agency`, and a pre token generation trigger that turns
// both into the same scopes a machine client's token carries (shared/domain/staff/staff-scopes.ts).
//
// Scopes: `clearway/<role>` for each role, and `clearway/sub:<subject>` for each client.
// A caller's subject (platformId, agency code) is derived from the access token as follows:
//   - the explicit `clearway/sub:<id>` scope when the token carries one (every client created here does);
//   - otherwise the app client's `client_id` claim.
// A platform cannot forge another platform's subject: a client may only request the scopes it is allowed.
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STAFF_ROLES } from '../../shared/domain/staff/staff-scopes.js';
import { ROLES, type Role } from '../../shared/topology.js';
import {
  type AppClientConfig,
  names,
  RESOURCE_SERVER_ID,
  type StageConfig,
  subjectScopeName,
} from '../config.js';
import { ClearwayFunction } from './clearway-function.js';

export interface MachineAuthProps {
  config: StageConfig;
  removalPolicy: RemovalPolicy;
  projectRoot: string;
  logRetention: logs.RetentionDays;
}

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  platform: 'E-commerce platform: lodges and follows its own declarations',
  post: 'Designated postal operator: files its postal items and reads the customs responses',
  officer: 'Customs officer: checks, holds, decisions',
  agency: 'Partner agency (single window): holds and lifts for its domain',
  finance: 'Revenue and statistics',
  admin: 'Tariffs, exchange rates, risk profiles and registries',
};

export class MachineAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly clients: { config: AppClientConfig; client: cognito.UserPoolClient }[];
  /** OAuth2 token endpoint (client credentials). */
  readonly tokenUrl: string;
  /** JWT issuer of the pool's access tokens. */
  readonly issuer: string;
  /** The hosted UI's base URL, where staff sign in. */
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: MachineAuthProps) {
    super(scope, id);
    const { config } = props;
    const n = names(config);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: n.userPool(),
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      // Staff are created by the administration (no self sign-up) and sign in with a strong password and TOTP.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
      },
      accountRecovery: cognito.AccountRecovery.NONE,
      customAttributes: { agency: new cognito.StringAttribute({ minLen: 2, maxLen: 40, mutable: true }) },
      // Plus tier: threat protection enforced, and access-token customisation for the staff trigger.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: config.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    const roleScopes = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new cognito.ResourceServerScope({ scopeName: role, scopeDescription: ROLE_DESCRIPTIONS[role] }),
      ]),
    ) as Record<Role, cognito.ResourceServerScope>;
    const subjectScopes = new Map(
      config.appClients.map((client) => [
        client.subject,
        new cognito.ResourceServerScope({
          scopeName: subjectScopeName(client.subject),
          scopeDescription: `Acts as ${client.subject}`,
        }),
      ]),
    );
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Clearway API',
      scopes: [...Object.values(roleScopes), ...subjectScopes.values()],
    });

    for (const role of STAFF_ROLES) {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: role,
        description: `Staff with the ${role} role in the console`,
      });
    }
    const staffToken = new ClearwayFunction(this, 'StaffTokenFunction', {
      functionName: `${config.prefix}-staff-token`,
      entry: 'functions/staff-token/handler.ts',
      projectRoot: props.projectRoot,
      description: "Adds a staff member's role and subject scopes to the console's access token",
      timeout: Duration.seconds(5),
      memorySize: 256,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      logLevel: config.powertoolsLogLevel,
    });
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      staffToken,
      cognito.LambdaVersion.V2_0,
    );

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.authDomainPrefix ?? this.defaultDomainPrefix(config) },
    });
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.issuer = this.userPool.userPoolProviderUrl;
    this.hostedUiUrl = this.domain.baseUrl();

    this.clients = config.appClients.map((client) => ({
      config: client,
      client: this.userPool.addClient(`Client-${client.subject}`, {
        userPoolClientName: n.appClient(client),
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [
            ...client.roles.map((role) =>
              cognito.OAuthScope.resourceServer(this.resourceServer, roleScopes[role]),
            ),
            cognito.OAuthScope.resourceServer(
              this.resourceServer,
              subjectScopes.get(client.subject) as cognito.ResourceServerScope,
            ),
          ],
        },
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      }),
    }));
  }

  /** The hosted domain prefix is unique per region across AWS: the account id keeps it ours. */
  private defaultDomainPrefix(config: StageConfig): string {
    return `${config.prefix}-${Stack.of(this).account}`;
  }
}
