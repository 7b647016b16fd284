/**
 * The host's side of a page's messages before and after it is ready: what is posted before the page says
 * `ready` waits in order; a page that loads again (it was hidden, `retainContextWhenHidden` is off) gets the
 * latest message of each type rather than the whole history.
 */
export class PageMailbox<M extends { readonly type: string }> {
  private ready = false;
  private queue: M[] = [];
  private readonly latest = new Map<M['type'], M>();

  constructor(private readonly send: (message: M) => void) {}

  get isReady(): boolean {
    return this.ready;
  }

  post(message: M): void {
    this.latest.set(message.type, message);
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    this.send(message);
  }

  /** The last message of each type posted (what a reloading page gets), for the integration tests. */
  get lastPosted(): ReadonlyMap<M['type'], M> {
    return this.latest;
  }

  /** Forgets the latest of these types (all without any), so a reloading page is not shown stale state. */
  forget(...types: M['type'][]): void {
    if (types.length === 0) this.latest.clear();
    for (const t of types) this.latest.delete(t);
  }

  /** The page said `ready`: the queue the first time, the latest state on every later load. */
  pageReady(): void {
    const pending = this.ready ? [...this.latest.values()] : this.queue;
    this.ready = true;
    this.queue = [];
    for (const m of pending) this.send(m);
  }
}
