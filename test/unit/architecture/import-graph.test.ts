import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importGraph, ruleNames } from '../../../scripts/import-graph.js';

const USE_CASES_IMPORT_NO_ADAPTER = 'use cases import no adapter';
const NO_AWS_SDK_ABOVE_ADAPTERS = 'no AWS SDK above shared/adapters';

/**
 * Use cases that still reach the declaration store through its adapter module; each moves to a port of its
 * own. The list only ever shrinks.
 */
const STILL_ON_THE_DECLARATION_STORE_ADAPTER = new Set([
  'shared/use-cases/assess-duty.ts',
  'shared/use-cases/cancel-declaration.ts',
  'shared/use-cases/clearance-command.ts',
  'shared/use-cases/decide-check.ts',
  'shared/use-cases/erase-personal-data.ts',
  'shared/use-cases/evaluate-risk.ts',
  'shared/use-cases/export-record.ts',
  'shared/use-cases/index-agency-holds.ts',
  'shared/use-cases/list-agency-holds.ts',
  'shared/use-cases/list-declarations.ts',
  'shared/use-cases/lodge-batch.ts',
  'shared/use-cases/lodge-declaration.ts',
  'shared/use-cases/record-payment.ts',
  'shared/use-cases/return-goods.ts',
  'shared/use-cases/view-declaration.ts',
]);
const DECLARATION_STORE_ADAPTERS = new Set([
  '../adapters/declaration-store.js',
  '../adapters/consignee-window.js',
]);

const violationsOf = (rule: string, root?: string) =>
  importGraph(root)
    .violations.filter((violation) => violation.rule === rule)
    .map(({ file, spec }) => `${file} imports ${spec}`);

describe('the layering between production folders', () => {
  it('names the rules this test holds', () => {
    // Act
    const names = ruleNames();

    // Assert
    expect(names).toContain(USE_CASES_IMPORT_NO_ADAPTER);
    expect(names).toContain(NO_AWS_SDK_ABOVE_ADAPTERS);
  });

  it('use cases import no adapter: they define the ports adapters implement', () => {
    // Act
    const found = importGraph().violations.filter(
      (violation) =>
        violation.rule === USE_CASES_IMPORT_NO_ADAPTER &&
        !(
          STILL_ON_THE_DECLARATION_STORE_ADAPTER.has(violation.file) &&
          DECLARATION_STORE_ADAPTERS.has(violation.spec)
        ),
    );

    // Assert
    expect(found.map(({ file, spec }) => `${file} imports ${spec}`)).toEqual([]);
  });

  it('no AWS SDK module is imported above shared/adapters', () => {
    // Act
    const found = violationsOf(NO_AWS_SDK_ABOVE_ADAPTERS);

    // Assert
    expect(found).toEqual([]);
  });

  describe('on a tree that breaks the rule', () => {
    const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    for (const folder of ['functions', 'infra', 'bench', 'scripts']) mkdirSync(join(root, folder));
    write(
      'shared/adapters/store.ts',
      "import { GetCommand } from '@aws-sdk/lib-dynamodb';\nexport const store = {};\n",
    );
    write(
      'shared/use-cases/view.ts',
      "import { store } from '../adapters/store.js';\nimport type { GetCommand } from '@aws-sdk/lib-dynamodb';\n",
    );
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('reports the use case that imports an adapter and the SDK', () => {
      // Act
      const adapterImports = violationsOf(USE_CASES_IMPORT_NO_ADAPTER, root);
      const sdkImports = violationsOf(NO_AWS_SDK_ABOVE_ADAPTERS, root);

      // Assert
      expect(adapterImports).toEqual(['shared/use-cases/view.ts imports ../adapters/store.js']);
      expect(sdkImports).toEqual(['shared/use-cases/view.ts imports @aws-sdk/lib-dynamodb']);
    });
  });
});
