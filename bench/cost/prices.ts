// AWS list prices the cost bench turns usage into money with.
/**
 * AWS list prices (USD, us-east-1, on-demand), per million units. DynamoDB on-demand request units cost
 * half their earlier price since 1 November 2024.
 */
export const PRICES = {
  dynamodbWriteRequestUnit: 0.625,
  dynamodbReadRequestUnit: 0.125,
  sqsRequest: 0.4,
  eventBridgeEvent: 1.0,
  lambdaRequest: 0.2,
  /** Per GB-second (ARM64), so per million GB-seconds. */
  lambdaGbSecond: 13.3334,
} as const;
