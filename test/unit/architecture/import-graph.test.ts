import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importGraph, ruleNames } from '../../../scripts/import-graph.js';

const USE_CASES_IMPORT_NO_ADAPTER = 'use cases import no adapter';
const NO_AWS_SDK_ABOVE_ADAPTERS = 'no AWS SDK above shared/adapters';
const USE_CASES_IMPORT_NOTHING_FROM_THE_EDGE = 'use cases import nothing from the HTTP edge';

const violationsOf = (rule: string, root?: string) =>
  importGraph(root)
    .violations.filter((violation) => violation.rule === rule)
    .map(({ file, spec }) => `${file} imports ${spec}`);

describe('the layering between production folders', () => {
  it('names the rules the tree below breaks', () => {
    // Act
    const names = ruleNames();

    // Assert
    expect(names).toContain(USE_CASES_IMPORT_NO_ADAPTER);
    expect(names).toContain(NO_AWS_SDK_ABOVE_ADAPTERS);
    expect(names).toContain(USE_CASES_IMPORT_NOTHING_FROM_THE_EDGE);
  });

  // Use cases define the ports adapters implement, take typed commands from the edge, and so on.
  it.each(ruleNames())('holds the rule: %s', (rule) => {
    // Act
    const found = violationsOf(rule);

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
      "import { store } from '../adapters/store.js';\nimport type { GetCommand } from '@aws-sdk/lib-dynamodb';\n" +
        "import { ViewSchema } from '../http/schemas/view.js';\n",
    );
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('reports the use case that imports an adapter, the SDK and an HTTP schema', () => {
      // Act
      const adapterImports = violationsOf(USE_CASES_IMPORT_NO_ADAPTER, root);
      const sdkImports = violationsOf(NO_AWS_SDK_ABOVE_ADAPTERS, root);
      const edgeImports = violationsOf(USE_CASES_IMPORT_NOTHING_FROM_THE_EDGE, root);

      // Assert
      expect(adapterImports).toEqual(['shared/use-cases/view.ts imports ../adapters/store.js']);
      expect(sdkImports).toEqual(['shared/use-cases/view.ts imports @aws-sdk/lib-dynamodb']);
      expect(edgeImports).toEqual(['shared/use-cases/view.ts imports ../http/schemas/view.js']);
    });
  });
});
