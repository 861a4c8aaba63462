import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiTypes } from '../../../console/scripts/openapi-types.js';

describe("the console's API types", () => {
  it("match the stack's OpenAPI document (npm run console:types regenerates them)", async () => {
    // Act
    const generated = await generateApiTypes();

    // Assess
    expect(readFileSync('console/src/api/schema.d.ts', 'utf8')).toBe(generated);
  });
});
