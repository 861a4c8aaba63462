// One logger, metrics and tracer per function instance, configured from the Powertools environment, and
// the keys every step logs and traces for the declaration it handles: `declarationId` and the filer.
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The declaration a step is handling and the filer (platform or post) that lodged it. */
export interface DeclarationKeys {
  declarationId?: string;
  filer?: string;
}

/**
 * The keys of the record a batch consumer is handling. Records of a batch are handled concurrently, so
 * the keys live in the record's async context rather than on the shared logger.
 */
const recordKeys = new AsyncLocalStorage<DeclarationKeys>();

const defined = (keys: DeclarationKeys): Record<string, string> =>
  Object.fromEntries(Object.entries(keys).filter(([, value]) => typeof value === 'string' && value !== ''));

/** Powertools' standard JSON log line, with the current record's keys added. */
class DeclarationLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes({ ...additional, ...defined(recordKeys.getStore() ?? {}) });
  }
}

export const logger = new Logger({ logFormatter: new DeclarationLogFormatter() });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Clearway',
  // The service (the function) is Powertools' default dimension; the country tells the stacks apart.
  ...(process.env.COUNTRY ? { defaultDimensions: { country: process.env.COUNTRY } } : {}),
});
export const tracer = new Tracer();

/**
 * A request's declaration and filer: logged with every line that follows in this invocation (the
 * logger's keys are reset per invocation) and annotated on its trace, so both can be searched.
 */
export const declarationInHand = (keys: DeclarationKeys): void => {
  const present = defined(keys);
  logger.appendKeys(present);
  for (const [name, value] of Object.entries(present)) tracer.putAnnotation(name, value);
};

/**
 * Handles one record of a batch with its declaration and filer as log keys (gone once it is handled) and
 * as annotations of its own trace subsegment.
 */
export const withDeclarationKeys = async <T>(keys: DeclarationKeys, handle: () => Promise<T>): Promise<T> => {
  const present = defined(keys);
  const subsegment = tracer.isTracingEnabled()
    ? tracer.getSegment()?.addNewSubsegment('## record')
    : undefined;
  for (const [name, value] of Object.entries(present)) subsegment?.addAnnotation(name, value);
  try {
    return await recordKeys.run(present, handle);
  } catch (error) {
    subsegment?.addError(error as Error);
    throw error;
  } finally {
    subsegment?.close();
  }
};

/** The declaration and filer an event's detail names (every declaration event carries both). */
export const eventKeys = (detail: Record<string, unknown>): DeclarationKeys => ({
  declarationId: typeof detail.declarationId === 'string' ? detail.declarationId : undefined,
  filer: typeof detail.platformId === 'string' ? detail.platformId : undefined,
});
