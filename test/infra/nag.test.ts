import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNagChecks, nagFindings } from '../../infra/constructs/nag.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

/** Every acknowledgement the stacks may carry; anything else is a new exception to argue for. */
const ACKNOWLEDGEABLE = [
  /^AwsSolutions-L1$/,
  /^AwsSolutions-APIG4$/,
  /^AwsSolutions-IAM5\[Resource::\*\]$/,
  /^AwsSolutions-IAM5\[Resource::arn:[^\]]*:table\/clearway-[a-z]{2}-[a-z0-9]+-[a-z]+\/index\/\*\]$/,
  /^AwsSolutions-IAM5\[Action::kms:(GenerateDataKey|ReEncrypt)\*\]$/,
  // The stack secret keys declaration ids: rotating it would break idempotency of resubmitted references.
  /^AwsSolutions-SMG4$/,
];

describe('cdk-nag AwsSolutions (NL, dev)', () => {
  let nl: Synthesized;

  beforeAll(() => {
    nl = synthesize({ country: 'NL' });
  });
  afterAll(disposeSyntheses);

  it('leaves no unacknowledged finding, error or warning', () => {
    expect(nl.findings).toEqual([]);
  });

  it('records no CDK error or warning annotation on either stack', () => {
    // cdk-nag 3 reports through the validation report, not annotations; these are CDK's own messages,
    // read from the cloud assembly (Annotations.fromStack would synthesize the app again).
    for (const messages of [nl.messages.stateful, nl.messages.stateless]) {
      expect(messages.filter((message) => message.level === 'error' || message.level === 'warning')).toEqual(
        [],
      );
    }
  });

  it('acknowledges only known, narrowly scoped findings, each with a written reason', () => {
    // Act
    const acknowledgements = nl.acknowledgements;

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(
        ACKNOWLEDGEABLE.some((pattern) => pattern.test(acknowledgement.id)),
        acknowledgement.id,
      ).toBe(true);
      expect(acknowledgement.reason.length, acknowledgement.id).toBeGreaterThan(60);
      // Never a whole stack or the app: each acknowledgement sits on the resource it concerns.
      expect(acknowledgement.path.split('/').length, acknowledgement.path).toBeGreaterThan(1);
    }
  });

  it('reports findings through the validation report when there are some', () => {
    // Prepare: a queue without DLQ or TLS enforcement, which the pack must catch.
    const outdir = mkdtempSync(join(tmpdir(), 'clearway-nag-'));
    const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    new sqs.Queue(new Stack(app, 'Probe'), 'Queue');
    addNagChecks(app);

    // Act
    const findings = nagFindings(app.synth().directory);
    rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect(findings.map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
    expect(findings.every((finding) => finding.path.startsWith('Probe/Queue'))).toBe(true);
  });
});
