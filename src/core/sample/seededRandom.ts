/**
 * A small, fast, seeded pseudo-random generator (mulberry32). The sample
 * organization must be byte-for-byte reproducible, so nothing in
 * `src/core/sample` may use `Math.random` or the clock.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (1, 2, 3…) start far apart.
    this.state = mix32(Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    return min + Math.floor(this.next() * (maxExclusive - min));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct items, in the order they were drawn. */
  pickSome<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    for (let i = 0; i < count && pool.length > 0; i++) {
      const j = Math.floor(this.next() * pool.length);
      out.push(pool[j] as T);
      pool[j] = pool[pool.length - 1] as T;
      pool.pop();
    }
    return out;
  }

  /** Letters and digits, as in OpenAI object ids. */
  alnum(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += ALNUM[Math.floor(this.next() * ALNUM.length)];
    return s;
  }

  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += HEX[Math.floor(this.next() * 16)];
    return s;
  }
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

/** A bijective 32-bit integer mix (distinct inputs give distinct outputs). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
