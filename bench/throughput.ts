// `npm run bench:throughput`: only the end-to-end ratio (raw PutItem beside batch and single lodgement),
// for working on the pipeline's rate without the whole bench.
import {
  batchEndToEndThroughput,
  cpuPerUnit,
  endToEndThroughput,
  rawPutItemRate,
  startBenchRuntime,
  storeWorkPerDeclaration,
} from './load.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const singles = process.argv.includes('--singles');

const { runtime, state, pids } = await startBenchRuntime();
try {
  const rawRun = await cpuPerUnit(
    pids,
    () => rawPutItemRate(state, 5, 32),
    ({ items }) => items,
  );
  const raw = rawRun.result.perSecond;
  console.log(`raw PutItem with 32 in flight: ${raw.toFixed(0)}/s`);
  const batchRun = await cpuPerUnit(
    pids,
    () => batchEndToEndThroughput(state, 20, 4, 100),
    ({ lodged }) => lodged,
  );
  const batches = batchRun.result;
  console.table([batches]);
  console.log(`end-to-end / raw PutItem, batches of 100: ${(batches.endToEndPerSecond / raw).toFixed(2)}`);
  console.table([storeWorkPerDeclaration(rawRun, batchRun)]);
  if (singles) {
    const single = await endToEndThroughput(state, 20, 16);
    console.table([single]);
    console.log(`end-to-end / raw PutItem, single POSTs: ${(single.endToEndPerSecond / raw).toFixed(2)}`);
  }
} finally {
  await runtime.stop();
}
