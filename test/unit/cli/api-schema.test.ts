import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiTypes, SCHEMA_FILE } from '../../../scripts/generate-api-types.js';

describe('the CLI client types', () => {
  it('match the OpenAPI document the stack serves (npm run generate:api after an API change)', async () => {
    // Act
    const generated = await generateApiTypes();
    // Assess
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });
});
