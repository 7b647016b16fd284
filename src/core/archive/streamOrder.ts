/**
 * Positions within a second across the batches of one newest-first stream.
 *
 * The API lists newest first and, within one second, in an order of its own
 * that is authoritative (the change reconstruction relies on it). A stream
 * over whole seconds `[gte, lt)` lists every second from its top, so the
 * position of an event among the events of its second, counted from the
 * stream's start, is its place in the API's order: the archive stores it as
 * `ord`, and `ORDER BY effective_at DESC, ord ASC` gives the API's order back,
 * whichever order windows were committed in and however often a second was
 * re-read.
 */
import type { ParsedEvent } from '../model';
import { secondsOf } from './eventRow';

export class StreamOrder {
  private second: number | undefined;
  private next = 0;

  /** The `ord` of each event of the next batch of the stream. */
  assign(batch: readonly ParsedEvent[]): number[] {
    return batch.map((e) => {
      const s = secondsOf(e.event.effective_at);
      if (s !== this.second) {
        this.second = s;
        this.next = 0;
      }
      return this.next++;
    });
  }
}
