// AWS SDK clients, created once per function instance and traced. Endpoints come from the standard SDK
// environment (AWS_ENDPOINT_URL_*), so the same code talks to AWS or to the local runtime.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability.js';

let lowLevelClient: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let eventBridgeClient: EventBridgeClient | undefined;
let secretsManagerClient: SecretsManagerClient | undefined;
let kmsClient: KMSClient | undefined;

/** The plain client, for control-plane calls such as DescribeTable. */
export const dynamoDbClient = (): DynamoDBClient => {
  lowLevelClient ??= tracer.captureAWSv3Client(new DynamoDBClient({}));
  return lowLevelClient;
};

export const dynamoDb = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
};

export const sqs = (): SQSClient => {
  sqsClient ??= tracer.captureAWSv3Client(new SQSClient({}));
  return sqsClient;
};

export const eventBridge = (): EventBridgeClient => {
  eventBridgeClient ??= tracer.captureAWSv3Client(new EventBridgeClient({}));
  return eventBridgeClient;
};

export const secretsManager = (): SecretsManagerClient => {
  secretsManagerClient ??= tracer.captureAWSv3Client(new SecretsManagerClient({}));
  return secretsManagerClient;
};

export const kms = (): KMSClient => {
  kmsClient ??= tracer.captureAWSv3Client(new KMSClient({}));
  return kmsClient;
};
