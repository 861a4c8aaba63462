// Handing work to the next step through a queue: each body is one message.
export type SendMessages = (bodies: unknown[]) => Promise<void>;
