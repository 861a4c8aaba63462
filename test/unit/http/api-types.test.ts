import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../../scripts/generate-api-types.js';

describe('the API types the console and the CLI compile against', () => {
  it("match the stack's OpenAPI document (npm run generate:api regenerates them)", async () => {
    // Act
    const generated = await generateApiTypes();

    // Assess
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(generated);
  });
});
