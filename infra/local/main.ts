// `npm start`: the local Clearway stack for one country.
//   COUNTRY        stack country (default NL)
//   PORT           HTTP port (default 3000)
//   CLEARWAY_DATA  DynamoDB Local data directory (default .clearway/<country>), or `memory`
//   CLEARWAY_LOG_LEVEL  debug | info | warn | error | silent (default info); handler logs: POWERTOOLS_LOG_LEVEL
//   CLEARWAY_VISIBILITY_TIMEOUT_SECONDS, CLEARWAY_MAX_RECEIVE_COUNT  shorten retries for fault testing
//   CLEARWAY_LIFETIME_START  the stack's first month (YYYY-MM) for public statistics (default: when its tables were made)
//   CLEARWAY_FAULTS  opt-in fault injection, e.g. duplicate-delivery,crash-after-write:0.2 (see faults.ts)
import { readFileSync } from 'node:fs';
import { ROLES } from '../../shared/topology.js';
import { parseFaults } from './faults.js';
import { type Runtime, startRuntime } from './runtime.js';
import { createLog, isLogLevel } from './util.js';

// The SDK's notice about Node.js versions is noise for a local tool (Lambda runs Node.js 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const log = createLog('info');

const EU = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '),
);
const CURRENCIES: Record<string, string> = {
  GB: 'GBP',
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  JP: 'JPY',
  CN: 'CNY',
};

/** A small declaration for the curl example, in the stack's currency. */
const exampleDeclaration = (country: string) => ({
  reference: `demo-${Date.now()}`,
  dispatchCountry: country === 'CN' ? 'US' : 'CN',
  destinationCountry: country,
  channel: 'POST',
  transactionType: 'B2C',
  collectionModel: 'CONSUMER_AT_IMPORT',
  currency: CURRENCIES[country] ?? (EU.has(country) ? 'EUR' : 'USD'),
  seller: { name: 'Demo Shop', country: country === 'CN' ? 'US' : 'CN' },
  consignee: {
    name: 'A. Buyer',
    address: { line1: 'Main street 1', city: 'Capital', postcode: '1000', country },
  },
  items: [
    {
      description: 'cotton T-shirt for men',
      hsCode: '610910',
      originCountry: country === 'CN' ? 'US' : 'CN',
      quantity: 2,
      value: country === 'JP' ? '2000' : '20.00',
      netMassKg: '0.40',
    },
  ],
});

/** State of a process from /proc (Linux), or undefined when it does not exist. */
const procStat = (pid: number): { state: string; ppid: number } | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
};

/**
 * `npm start` runs npm -> sh -> tsx -> this process. A SIGTERM to npm (what a test harness sends)
 * kills npm and sh but nobody forwards it further, which would leave this process and Java running.
 * So: remember the chain of ancestors at start and stop as soon as one of them is gone.
 */
const watchAncestors = (onGone: (pid: number) => void) => {
  const chain: number[] = [];
  if (process.platform === 'linux') {
    for (let pid = process.ppid; pid > 1 && chain.length < 5; ) {
      chain.push(pid);
      pid = procStat(pid)?.ppid ?? 0;
    }
  } else {
    chain.push(process.ppid);
  }
  const initialParent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== initialParent) {
      onGone(initialParent);
      return;
    }
    if (process.platform !== 'linux') return;
    for (const pid of chain) {
      const stat = procStat(pid);
      if (!stat || stat.state === 'Z' || stat.state === 'X') {
        onGone(pid);
        return;
      }
    }
  }, 500);
  timer.unref();
};

const positiveInteger = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
};

const main = async () => {
  const country = (process.env.COUNTRY ?? 'NL').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw new Error(`COUNTRY must be a two-letter country code, got "${country}"`);
  const port = positiveInteger('PORT') ?? 3000;
  const logLevel = process.env.CLEARWAY_LOG_LEVEL;
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    throw new Error(`CLEARWAY_LOG_LEVEL must be one of debug, info, warn, error, silent; got "${logLevel}"`);
  }
  const visibilityTimeoutSeconds = positiveInteger('CLEARWAY_VISIBILITY_TIMEOUT_SECONDS');
  const maxReceiveCount = positiveInteger('CLEARWAY_MAX_RECEIVE_COUNT');
  const faults = parseFaults(process.env.CLEARWAY_FAULTS);

  let runtime: Runtime | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      log.error('Stopping took too long; exiting');
      process.exit(code || 1);
    }, 10_000);
    timer.unref();
    await runtime?.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!stopping) log.info(`${signal} received, stopping`);
      void shutdown(0);
    });
  }
  watchAncestors((pid) => {
    if (!stopping) log.info(`Parent process ${pid} has gone, stopping`);
    void shutdown(0);
  });
  process.on('uncaughtException', (error) => {
    log.error('Uncaught exception', error);
    void shutdown(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.error('Unhandled rejection', reason);
    void shutdown(1);
  });

  runtime = await startRuntime({
    country,
    port,
    dataDir: process.env.CLEARWAY_DATA || undefined,
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds } : {}),
    ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
    ...(faults ? { faults } : {}),
    ...(process.env.CLEARWAY_LIFETIME_START ? { lifetimeStart: process.env.CLEARWAY_LIFETIME_START } : {}),
  });
  if (stopping) {
    await runtime.stop();
    return;
  }

  const { url, tokens } = runtime;
  const lines = [
    '',
    `Clearway ${runtime.country} (stage ${runtime.stage}) — data: ${runtime.dataDir}, started in ${runtime.startupMs} ms`,
    '',
    'Local tokens (Authorization: Bearer <token>):',
    ...ROLES.map((role) => `  ${role.padEnd(9)} ${tokens[role]}`),
    '',
    'Try:',
    `  curl -s -X POST ${url}/v1/declarations \\`,
    `    -H 'authorization: Bearer ${tokens.platform}' -H 'content-type: application/json' \\`,
    `    -d '${JSON.stringify(exampleDeclaration(runtime.country))}'`,
    `  curl -s ${url}/v1/declarations/<id> -H 'authorization: Bearer ${tokens.officer}'`,
    '',
    `Event bus ${runtime.busName}: ${runtime.bus.endpoint} (recent events: ${runtime.bus.endpoint}/_local/events)`,
    `Dead-letter queues back to their source: npm run redrive -- <${Object.keys(runtime.queues).join('|')}>`,
    ...(runtime.missingFunctions.length > 0
      ? [`Not available (no handler yet): ${runtime.missingFunctions.join(', ')}`]
      : []),
    '',
    `Clearway ready at ${url}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
};

main().catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
