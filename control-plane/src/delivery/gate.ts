/**
 * At most `limit` holders at a time, the others queued in arrival order. The delivery engine passes one to every
 * S3 step, so however many destinations a process delivers at once, only that many steps hold event payloads and
 * their encoded objects in memory together.
 */
export class Gate {
  #free: number;
  readonly #queue: Array<() => void> = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
