// The one Lambda construct: every Clearway function gets the same runtime, bundle, tracing, logging and
// Powertools defaults from here, and its own role that starts with no permissions but its log group.
import * as path from 'node:path';
import { type Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __clearwayCreateRequire } from 'node:module'; const require = __clearwayCreateRequire(import.meta.url);";

export const POWERTOOLS_METRICS_NAMESPACE = 'Clearway';

export interface ClearwayFunctionProps {
  /** Physical function name; also the Powertools service name. */
  functionName: string;
  /** Handler module, relative to `projectRoot`; it exports `handler`. */
  entry: string;
  projectRoot: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  logRetention: logs.RetentionDays;
  /** Applied to the log group (RETAIN outside dev). */
  removalPolicy: RemovalPolicy;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  environment?: Record<string, string>;
  /**
   * Packages whose files the code reads at run time (static assets, not code): copied from the project's
   * node_modules next to the bundle, without source maps, where `createRequire(import.meta.url)` finds them.
   */
  runtimeFiles?: readonly string[];
  /** A built directory (relative to the project root) copied next to the bundle as `assets/`. */
  assets?: string;
}

/** Where a function finds its `assets` directory on Lambda. */
export const LAMBDA_ASSETS_DIR = '/var/task/assets';

const PACKAGE_NAME = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

const ASSETS_PATH = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/;

const copyFiles = (packages: readonly string[], assets: string | undefined): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) => [
    ...packages.map((name) => {
      if (!PACKAGE_NAME.test(name)) throw new Error(`Not a package name: ${name}`);
      const target = `${outputDir}/node_modules/${name}`;
      return `mkdir -p "${target}" && cp -R "${inputDir}/node_modules/${name}/." "${target}" && find "${target}" -name "*.map" -type f -delete`;
    }),
    ...(assets === undefined
      ? []
      : [
          (() => {
            if (!ASSETS_PATH.test(assets)) throw new Error(`Not an assets directory: ${assets}`);
            const source = `${inputDir}/${assets}`;
            // Built by `npm run console:build` (the synth and deploy scripts run it first).
            return `test -f "${source}/index.html" || { echo "${assets} is not built: run npm run console:build" >&2; exit 1; }; mkdir -p "${outputDir}/assets" && cp -R "${source}/." "${outputDir}/assets"`;
          })(),
        ]),
  ],
});

export class ClearwayFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ClearwayFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy: writing to its own
    // log group is the only permission a function starts with; everything else comes from grants.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      functionName: props.functionName,
      description: props.description,
      entry: path.join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      awsSdkConnectionReuse: false,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.functionName,
        POWERTOOLS_METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...(props.assets ? { ASSETS_DIR: LAMBDA_ASSETS_DIR } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The SDK ships inside the bundle: the version is the one tested, not the one the runtime has.
        bundleAwsSDK: true,
        externalModules: [],
        minify: true,
        sourceMap: true,
        // Linked map: the bundle ends with a sourceMappingURL comment that --enable-source-maps follows.
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // JSON data (shared/data/hs2022.json) is imported with `with { type: 'json' }`; esbuild inlines it.
        loader: { '.json': 'json' },
        forceDockerBundling: false,
        ...(props.runtimeFiles?.length || props.assets
          ? { commandHooks: copyFiles(props.runtimeFiles ?? [], props.assets) }
          : {}),
      },
    });

    // Tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource ARN.
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement added by active tracing uses "*": xray:PutTraceSegments and ' +
          'xray:PutTelemetryRecords support no resource-level permissions. Every other statement is a grant on a named resource.',
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: the bundles target node22 and the code is tested on Node 20/22 (DESIGN 8). ' +
        'Moving to Node.js 24 is a deliberate upgrade with its own test run, not a side effect of a CDK release.',
    });
  }
}
