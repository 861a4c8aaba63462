// A hold as the API shows it, in the declaration, in the hold answers and in an agency's list.
import * as z from 'zod';

/** Who placed a hold and when, and who lifted it and when. */
export const holdPlacementFields = {
  placedBy: z.string(),
  placedByPerson: z
    .string()
    .optional()
    .meta({ description: 'The staff member who placed it for the agency in `placedBy`' }),
  placedAt: z.string(),
  liftedAt: z.string().optional(),
  liftedBy: z.string().optional(),
  liftedByPerson: z
    .string()
    .optional()
    .meta({ description: 'The staff member who lifted it for the agency in `liftedBy`' }),
};

/** Every field of a hold. */
export const holdFields = {
  id: z.string(),
  reason: z.string(),
  agency: z.string().optional(),
  ...holdPlacementFields,
  liftNote: z.string().optional(),
};
