// Sends declarations through the batch route in chunks, several in flight, and sorts every answer into
// accepted (202), already lodged (200), refused (400) and conflicts (409). The API keys a declaration on
// its reference, so a run that was interrupted, or a chunk sent again after a 503, lodges nothing twice:
// what got through before answers 200.

import type { components } from '../../shared/http/api-types.js';
import type { ApiClient } from '../context.js';
import type { FieldError, InputEntry } from './input.js';

type BatchRequest = components['schemas']['DeclarationBatch'];

/** Below the API's 6 MB body limit with room for the envelope. */
const MAX_CHUNK_BYTES = 5_000_000;

export interface LodgeCounts {
  accepted: number;
  alreadyLodged: number;
  refused: number;
  conflicts: number;
}

export interface LodgeSummary extends LodgeCounts {
  total: number;
  /** Declarations not sent or not answered: the run was interrupted or failed. */
  notSent: number;
  elapsedMs: number;
  /** Declarations answered per second. */
  ratePerSecond: number;
  interrupted: boolean;
  /** Why the run stopped early, when it did. */
  failure?: string;
}

export interface Refusal {
  lines: number[];
  reference?: string;
  status: 400 | 409;
  errors: FieldError[];
}

export interface LodgeOptions {
  client: ApiClient;
  chunkSize: number;
  concurrency: number;
  /** Aborted on Ctrl-C: no new chunk is sent; the ones in flight are answered and counted. */
  signal?: AbortSignal;
  onRefused: (refusal: Refusal) => void;
  onProgress?: (done: number, counts: LodgeCounts) => void;
  now?: () => number;
}

interface Chunk {
  entries: InputEntry[];
  body: string;
}

/** Chunks of at most `size` declarations and MAX_CHUNK_BYTES, each serialised once. */
export const chunksOf = (entries: InputEntry[], size: number, maxBytes = MAX_CHUNK_BYTES): Chunk[] => {
  const chunks: Chunk[] = [];
  let current: InputEntry[] = [];
  let parts: string[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length === 0) return;
    chunks.push({ entries: current, body: `{"declarations":[${parts.join(',')}]}` });
    current = [];
    parts = [];
    bytes = 0;
  };
  for (const entry of entries) {
    const text = JSON.stringify(entry.declaration);
    const length = Buffer.byteLength(text);
    if (current.length >= size || (current.length > 0 && bytes + length + 1 > maxBytes)) close();
    current.push(entry);
    parts.push(text);
    bytes += length + 1;
  }
  close();
  return chunks;
};

const problemText = (status: number, error: unknown): string => {
  const problem = (error ?? {}) as { title?: string; detail?: string };
  return `HTTP ${status}${problem.title ? ` ${problem.title}` : ''}${problem.detail ? `: ${problem.detail}` : ''}`;
};

export const lodge = async (entries: InputEntry[], options: LodgeOptions): Promise<LodgeSummary> => {
  const now = options.now ?? Date.now;
  const started = now();
  const counts: LodgeCounts = { accepted: 0, alreadyLodged: 0, refused: 0, conflicts: 0 };
  let done = 0;
  let failure: string | undefined;

  // Entries the CLI could not read are refused here, with their line numbers; the rest go to the API.
  const sendable: InputEntry[] = [];
  for (const entry of entries) {
    if (entry.problems) {
      counts.refused += 1;
      done += 1;
      options.onRefused({
        lines: entry.lines,
        ...(entry.reference !== undefined ? { reference: entry.reference } : {}),
        status: 400,
        errors: entry.problems,
      });
    } else sendable.push(entry);
  }
  options.onProgress?.(done, counts);

  const send = async (chunk: Chunk) => {
    const { data, error, response } = await options.client.POST('/v1/declarations/batch', {
      // The API validates every declaration; the file's text is sent as it was read.
      body: {} as BatchRequest,
      bodySerializer: () => chunk.body,
    });
    if (!data) throw new Error(`The batch was not taken: ${problemText(response.status, error)}`);
    for (const result of data.results) {
      const entry = chunk.entries[result.index];
      if (!entry)
        throw new Error(`The API answered for declaration ${result.index} of a chunk it was not sent`);
      if (result.status === 202) counts.accepted += 1;
      else if (result.status === 200) counts.alreadyLodged += 1;
      else {
        if (result.status === 409) counts.conflicts += 1;
        else counts.refused += 1;
        options.onRefused({
          lines: entry.lines,
          ...(entry.reference !== undefined ? { reference: entry.reference } : {}),
          status: result.status,
          errors: result.errors ?? [],
        });
      }
    }
    done += chunk.entries.length;
    options.onProgress?.(done, counts);
  };

  const queue = chunksOf(sendable, options.chunkSize);
  const worker = async () => {
    for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
      if (options.signal?.aborted || failure !== undefined) return;
      try {
        await send(chunk);
      } catch (error) {
        // A wait for Retry-After cut short by Ctrl-C: the chunk was not taken.
        if (options.signal?.aborted) return;
        failure ??= error instanceof Error ? error.message : String(error);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));

  const elapsedMs = Math.max(1, now() - started);
  return {
    total: entries.length,
    ...counts,
    notSent: entries.length - done,
    elapsedMs,
    ratePerSecond: (done * 1000) / elapsedMs,
    interrupted: options.signal?.aborted ?? false,
    ...(failure !== undefined ? { failure } : {}),
  };
};

/** Section 13: 0 when every declaration was accepted or lodged before, 2 when some were refused, else 1. */
export const exitCodeOf = (summary: LodgeSummary): 0 | 1 | 2 => {
  if (summary.failure !== undefined || summary.interrupted || summary.notSent > 0) return 1;
  return summary.refused + summary.conflicts > 0 ? 2 : 0;
};
