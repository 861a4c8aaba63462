// `npm run redrive -- <queue>`: moves the messages of a queue's dead-letter queue back to the queue,
// in the local runtime that is running for COUNTRY (default NL). It finds the runtime through the
// runtime.json it writes: in CLEARWAY_DATA (default .clearway/<country>), in its temp directory for
// an in-memory runtime (found when only one runs for the country), or at the path given with --state.
import { queues as topologyQueues } from '../../shared/topology.js';
import {
  defaultDataDir,
  type RuntimeState,
  readRuntimeState,
  runningInMemoryRuntimes,
  stateFilePath,
} from './runtime.js';
import { localSqsClient, moveMessages } from './sqs.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run redrive -- <${Object.keys(topologyQueues).join('|')}|all> [--state <runtime.json>]`;

const findState = (explicit: string | undefined): RuntimeState => {
  const country = (process.env.COUNTRY ?? 'NL').toUpperCase();
  const data = process.env.CLEARWAY_DATA;
  if (explicit) {
    const state = readRuntimeState(explicit);
    if (!state) throw new Error(`No running local runtime recorded in ${explicit}.`);
    return state;
  }
  const onDisk =
    data === 'memory' ? undefined : readRuntimeState(stateFilePath(country, data || defaultDataDir(country)));
  if (onDisk) return onDisk;
  const inMemory = data && data !== 'memory' ? [] : runningInMemoryRuntimes(country);
  if (inMemory.length === 1 && inMemory[0]) return inMemory[0].state;
  if (inMemory.length > 1) {
    throw new Error(
      `${inMemory.length} in-memory runtimes for ${country} are running; choose one with --state:\n${inMemory
        .map(({ file, state }) => `  ${file}  (${state.url})`)
        .join('\n')}`,
    );
  }
  throw new Error(
    `No running local runtime for ${country} found. Start one with npm start (or pass --state <runtime.json>).`,
  );
};

const main = async () => {
  const args = process.argv.slice(2);
  const stateIndex = args.indexOf('--state');
  const explicit = stateIndex >= 0 ? args[stateIndex + 1] : undefined;
  const names =
    stateIndex >= 0 ? args.filter((_, index) => index !== stateIndex && index !== stateIndex + 1) : args;
  const [name] = names;
  if (!name || names.length > 1) throw new Error(usage);
  const state = findState(explicit);
  const selected = name === 'all' ? Object.keys(state.queues) : [name];
  const client = localSqsClient(state.endpoints.sqs, state.region);
  try {
    for (const queue of selected) {
      const resources = state.queues[queue as keyof typeof state.queues];
      if (!resources) throw new Error(`Unknown queue "${queue}". ${usage}`);
      const moved = await moveMessages(client, resources.dlqUrl, resources.url);
      process.stdout.write(
        `${queue}: moved ${moved} message(s) from ${resources.dlqUrl} to ${resources.url}\n`,
      );
    }
  } finally {
    client.destroy();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
