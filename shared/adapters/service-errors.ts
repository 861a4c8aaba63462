// Whether an error thrown by an AWS SDK client is worth the caller sending the same request again:
// throttled or transient after the SDK's own retries. The edge turns it into a 503 with Retry-After.
import { isThrottlingError, isTransientError } from '@smithy/service-error-classification';

export const isAwsRetryable = (error: unknown): boolean =>
  error instanceof Error &&
  '$metadata' in error &&
  (isThrottlingError(error as Parameters<typeof isThrottlingError>[0]) ||
    isTransientError(error as Parameters<typeof isTransientError>[0]));
