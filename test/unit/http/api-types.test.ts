import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_SCHEMA_FILE, generateApiTypes } from '../../../scripts/generate-api-types.js';

describe("the console's API types", () => {
  it("match the stack's OpenAPI document (npm run generate:api regenerates them)", async () => {
    // Act
    const generated = await generateApiTypes();

    // Assess
    expect(readFileSync(CONSOLE_SCHEMA_FILE, 'utf8')).toBe(generated);
  });
});
