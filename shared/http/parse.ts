// Parsing at the edge: a value checked by its schema, or a 400 naming every offending field.
import type * as z from 'zod';
import { toFieldErrors } from '../domain/declaration/declaration.js';
import { ValidationError } from '../domain/errors.js';

/** The parsed value; on failure a ValidationError whose detail lists each field and what is wrong. */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const errors = toFieldErrors(parsed.error);
  throw new ValidationError(
    errors,
    `${what}: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`,
  );
};
