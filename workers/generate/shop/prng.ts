// A small seeded PRNG (sfc32, seeded through cyrb128 of a string) so the generator's output is a
// pure function of its arguments. Each concern draws from its own named stream: changing the
// defect rate must not change the shop itself, only the defects laid over it.

/** cyrb128: a fast 128-bit string hash, used only to turn a seed string into sfc32 state. */
const cyrb128 = (text: string): readonly [number, number, number, number] => {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
};

export interface Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number;
  /** Uniform integer in [0, n). */
  readonly int: (n: number) => number;
  /** Uniform integer in [lo, hi]. */
  readonly between: (lo: number, hi: number) => number;
  readonly chance: (p: number) => boolean;
  readonly pick: <A>(items: ReadonlyArray<A>) => A;
  /** Picks by weight; weights need not sum to 1. */
  readonly weighted: <A>(items: ReadonlyArray<readonly [A, number]>) => A;
}

/**
 * The state is mutable and private to one stream: a generation run owns its streams and nothing
 * else sees them, so the mutation never leaks (a persistent PRNG would cost an allocation per draw
 * at millions of rows).
 */
export const prng = (seed: string, stream: string): Prng => {
  let [a, b, c, d] = cyrb128(`${stream}\u0000${seed}`);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 mixes poorly right after seeding.
  for (let i = 0; i < 15; i++) next();
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <A>(items: ReadonlyArray<A>): A => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const weighted = <A>(items: ReadonlyArray<readonly [A, number]>): A => {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let x = next() * total;
    for (const [item, w] of items) {
      if (x < w) return item;
      x -= w;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  };
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick,
    weighted,
  };
};
