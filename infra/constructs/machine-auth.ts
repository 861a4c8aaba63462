// The Cognito user pool that issues OAuth2 client-credentials tokens to machine clients (platforms,
// agencies' single-window systems, the administration's console back-end). There are no human users.
//
// Scopes: `clearway/<role>` for each role, and `clearway/sub:<subject>` for each client.
// A caller's subject (platformId, agency code) is derived from the access token as follows:
//   - the explicit `clearway/sub:<id>` scope when the token carries one (every client created here does);
//   - otherwise the app client's `client_id` claim.
// A platform cannot forge another platform's subject: a client may only request the scopes it is allowed.
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  type AppClientConfig,
  names,
  RESOURCE_SERVER_ID,
  type StageConfig,
  subjectScopeName,
} from '../config.js';
import { ROLES, type Role } from '../topology.js';

export interface MachineAuthProps {
  config: StageConfig;
  removalPolicy: RemovalPolicy;
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

  constructor(scope: Construct, id: string, props: MachineAuthProps) {
    super(scope, id);
    const { config } = props;
    const n = names(config);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: n.userPool(),
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      // No human users are expected; should one ever be created, it must use a strong password and TOTP.
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
      // Plus tier with threat protection enforced: billed per monthly active user, and this pool has none.
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

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.authDomainPrefix ?? this.defaultDomainPrefix(config) },
    });
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.issuer = this.userPool.userPoolProviderUrl;

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
