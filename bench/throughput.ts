// `npm run bench:throughput`: only the end-to-end ratio (raw PutItem beside batch and single lodgement),
// for working on the pipeline's rate without the whole bench.
import { runningInMemoryRuntimes } from '../infra/local/runtime.js';
import { spawnRuntime } from '../infra/local/spawn.js';
import { batchEndToEndThroughput, endToEndThroughput, rawPutItemRate } from './load.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const singles = process.argv.includes('--singles');

const runtime = await spawnRuntime({ env: { CLEARWAY_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
try {
  const state = runningInMemoryRuntimes('NL').find((entry) => entry.state.pid === runtime.pid)?.state;
  if (!state) throw new Error('The runtime wrote no state file');
  const raw = await rawPutItemRate(state, 5, 32);
  console.log(`raw PutItem with 32 in flight: ${raw.toFixed(0)}/s`);
  const batches = await batchEndToEndThroughput(state, 20, 4, 100);
  console.table([batches]);
  console.log(`end-to-end / raw PutItem, batches of 100: ${(batches.endToEndPerSecond / raw).toFixed(2)}`);
  if (singles) {
    const single = await endToEndThroughput(state, 20, 16);
    console.table([single]);
    console.log(`end-to-end / raw PutItem, single POSTs: ${(single.endToEndPerSecond / raw).toFixed(2)}`);
  }
} finally {
  await runtime.stop();
}
