import type { RuntimeEvent } from "./containerRuntime.js";

/**
 * One subscriber's stream of hollow runtime events: a queue the runtime pushes into and
 * the subscriber drains with `for await`. It ends when the signal aborts or the loop
 * breaks; events still queued then are dropped, as a closed Docker event stream drops them.
 */
export class HollowEventFeed implements AsyncIterableIterator<RuntimeEvent> {
  private queue: RuntimeEvent[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private done = false;
  private readonly onAbort = () => this.close();

  constructor(
    private readonly signal: AbortSignal,
    private readonly detach: (feed: HollowEventFeed) => void,
  ) {
    if (signal.aborted) this.done = true;
    else signal.addEventListener("abort", this.onAbort, { once: true });
  }

  get closed(): boolean {
    return this.done;
  }

  push(event: RuntimeEvent): void {
    if (this.done) return;
    this.queue.push(event);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.queue = [];
    this.head = 0;
    this.signal.removeEventListener("abort", this.onAbort);
    this.detach(this);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async next(): Promise<IteratorResult<RuntimeEvent, undefined>> {
    for (;;) {
      if (this.done) return { done: true, value: undefined };
      const event = this.queue[this.head];
      if (event !== undefined) {
        this.head++;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        return { done: false, value: event };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  return(): Promise<IteratorResult<RuntimeEvent, undefined>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
