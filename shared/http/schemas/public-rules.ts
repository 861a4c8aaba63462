// GET /v1/public/rules on the wire.
import * as z from 'zod';
import { isoDate } from '../../domain/declaration/declaration.js';

export const PublicRulesQuerySchema = z.strictObject({
  date: isoDate.optional().meta({ description: 'Default today (UTC)' }),
});
