/** What one delivery step of a destination came to; the engine decides from it when to look again. */
export type StepResult =
  /** Nothing to deliver. */
  | { kind: 'idle' }
  /** Something to deliver, but not yet (a batch's window, a retry's time). */
  | { kind: 'waiting'; until: Date }
  /**
   * Work done: `events` delivered, in `objects` S3 objects or webhook requests, `bytes` sent; `failures` holds the
   * error code of each failed webhook attempt (S3 failures throw instead).
   */
  | { kind: 'delivered'; events: number; objects: number; bytes: number; failures?: string[] };
