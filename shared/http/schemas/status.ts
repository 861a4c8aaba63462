// The declaration status on the wire, shared by every response that names one.
import { Status } from '../../domain/clearance/record.js';

export const StatusSchema = Status.meta({
  id: 'Status',
  description: 'Where the declaration is in clearance',
});
