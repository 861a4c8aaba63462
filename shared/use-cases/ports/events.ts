// Publishing domain events to the stack's bus.
import type { DomainEvent } from '../../domain/events.js';

export type PublishEvents = (events: DomainEvent[]) => Promise<void>;
