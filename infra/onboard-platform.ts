// Prints how to onboard a platform (or an agency's single-window system) on one country's API:
//
//   npx tsx infra/onboard-platform.ts --country NL --platform acme [--stage prod]
//   npx tsx infra/onboard-platform.ts --country NL --agency FOOD_SAFETY
//   npx tsx infra/onboard-platform.ts --country NL --post PostNL
//
// A client is part of the stack: it is listed in cdk.json context (`platforms` / `agencies` / `posts`, by
// country),
// and the next deploy creates its Cognito app client (client credentials, a secret, the role scope and a
// `clearway/sub:<id>` scope) and adds it to the API's JWT audience. Nothing is changed by hand, so a deploy
// never undoes an onboarding.
//
// How the API derives the caller's subject (platformId, agency code) from the access token: the explicit
// `clearway/sub:<id>` scope when present (every client created this way has one); otherwise the app
// client's `client_id` claim. A client can only obtain the scopes it is allowed, so it cannot act as
// another platform.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  names,
  PROJECT_ROOT,
  parseCountry,
  parseStage,
  RESOURCE_SERVER_ID,
  SUBJECT_PATTERN,
} from './config.js';

const usage =
  'usage: npx tsx infra/onboard-platform.ts --country <code> (--platform <id> | --agency <code> | --post <operator>) [--stage <name>]';

try {
  const { values } = parseArgs({
    options: {
      country: { type: 'string' },
      stage: { type: 'string', default: 'dev' },
      platform: { type: 'string' },
      agency: { type: 'string' },
      post: { type: 'string' },
    },
  });
  const country = parseCountry(values.country);
  const stage = parseStage(values.stage);
  const chosen = [values.platform, values.agency, values.post].filter(Boolean);
  if (chosen.length !== 1) throw new ConfigError(usage);
  const kind = values.platform ? 'platforms' : values.agency ? 'agencies' : 'posts';
  const role = values.platform ? 'platform' : values.agency ? 'agency' : 'post';
  const subject = String(values.platform ?? values.agency ?? values.post);
  if (!SUBJECT_PATTERN.test(subject))
    throw new ConfigError(`"${subject}" is not a valid id (${SUBJECT_PATTERN.source})`);

  const n = names({ country, stage });
  const context = (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }
  ).context;
  const listed = context?.[kind];
  const current =
    listed && typeof listed === 'object' && !Array.isArray(listed)
      ? (listed as Record<string, string[]>)[country]
      : undefined;
  const already = current?.includes(subject) ?? false;
  const clientName = n.appClient({ subject, roles: [role] });
  const scope = `${RESOURCE_SERVER_ID}/${role} ${RESOURCE_SERVER_ID}/sub:${subject}`;
  const outputs = (key: string) =>
    `aws cloudformation describe-stacks --stack-name ${n.stack('stateless')} --query "Stacks[0].Outputs[?OutputKey=='${key}'].OutputValue" --output text`;

  console.log(`Onboarding ${role} "${subject}" on Clearway ${country} (${stage})

1. ${already ? `cdk.json already lists it under context.${kind}.${country}.` : `Add it to cdk.json, under context.${kind} (a map by country):`}
   "${kind}": { "${country}": [${[...(current ?? []).filter((item) => item !== subject), subject].map((item) => `"${item}"`).join(', ')}] }

2. Deploy (creates app client ${clientName} and adds it to the JWT authorizer's audience):
   npx cdk deploy --all -c country=${country} -c stage=${stage} --no-notices

3. Read the client id and secret, and hand them to the ${role} over a secure channel:
   POOL_ID=$(${outputs('UserPoolId')})
   CLIENT_ID=$(aws cognito-idp list-user-pool-clients --user-pool-id "$POOL_ID" --query "UserPoolClients[?ClientName=='${clientName}'].ClientId" --output text)
   CLIENT_SECRET=$(aws cognito-idp describe-user-pool-client --user-pool-id "$POOL_ID" --client-id "$CLIENT_ID" --query UserPoolClient.ClientSecret --output text)

4. The ${role} obtains a token (valid one hour) and calls the API with it:
   TOKEN_URL=$(${outputs('TokenUrl')})
   API_URL=$(${outputs('ApiUrl')})
   TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials --data-urlencode "scope=${scope}" "$TOKEN_URL" | jq -r .access_token)
   curl -H "Authorization: Bearer $TOKEN" "\${API_URL}v1/declarations?limit=1"

Offboarding: remove the id from cdk.json and deploy; the client and its tokens stop working.`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`clearway: ${error.message}`);
  process.exitCode = 1;
}
