// A request that fails because DynamoDB (or another service) is still throttled or unreachable after the
// SDK's retries is answered 503 with Retry-After: the caller may send it again, and it is not a 500.
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { handle } from '../../../shared/http/contract.js';
import { httpHandler, RETRY_AFTER_SECONDS } from '../../../shared/http/handler.js';
import { webhookRoutes } from '../../../shared/http/routes/webhooks.js';
import { httpEvent, lambdaContext } from '../../fixtures/http.js';
import { leakIn } from '../../fixtures/leaks.js';

const answer = async (error: Error) => {
  const handler = httpHandler(
    handle(webhookRoutes.get, async () => {
      throw error;
    }),
  );
  const response = await handler(
    httpEvent({ routeKey: 'GET /v1/webhooks', as: 'platform:p1' }),
    lambdaContext(),
  );
  if (typeof response === 'string') throw new Error('Expected a structured response');
  return response;
};

describe('a service busy after the SDK retried', () => {
  it('answers 503 problem+json with Retry-After for DynamoDB throttling', async () => {
    const response = await answer(
      new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded',
        $metadata: { httpStatusCode: 400, attempts: 3 },
      }),
    );

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    const body = JSON.parse(String(response.body));
    expect(body).toMatchObject({ status: 503, title: 'Service Unavailable', retryAfterSeconds: 1 });
    expect(leakIn(String(response.body))).toBeUndefined();
    expect(String(response.body)).not.toContain('provisioned throughput');
  });

  it('answers 503 for a service error the SDK classes as transient (5xx)', async () => {
    const error = Object.assign(new Error('We encountered an internal error'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    expect((await answer(error)).statusCode).toBe(503);
  });

  it('still answers 500 for a fault of our own', async () => {
    const response = await answer(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['retry-after']).toBeUndefined();
    expect(String(response.body)).not.toContain('Cannot read');
  });
});
