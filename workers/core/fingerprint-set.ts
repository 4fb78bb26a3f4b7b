// A set of 63-bit string fingerprints in two typed arrays with open addressing: the duplicate-id
// check for order items, whose ids must not cost a JS string per row (memory must not grow with
// items as a Map of strings would: ~100 bytes per id).
//
// Bound: the table doubles at half load, so it holds between 16 and 32 bytes per distinct id
// (4 M ids: 64 MB, 96 MB for a moment while it doubles). Two distinct ids collide with probability
// 2^-63 per pair; over n ids the chance of any false "duplicate" is below n² / 2^64
// (4 M ids: < 1e-6).

const fnv1a = (s: string, seed: number): number => {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32): FNV alone clusters short numeric ids in the low bits
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** The two halves of a key's 63-bit fingerprint (lo is never 0: 0/0 marks an empty slot). */
export const fingerprintHi = (key: string): number => fnv1a(key, 0x811c9dc5);
export const fingerprintLo = (key: string): number => (fnv1a(key, 0x9747b28c) | 1) >>> 0;

export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength;
  }

  /** Adds the key's fingerprint; false when it was already there. */
  add(key: string): boolean {
    return this.addPrint(fingerprintHi(key), fingerprintLo(key));
  }

  /** The same, for a fingerprint already computed (fingerprintHi/Lo). */
  addPrint(hi: number, lo: number): boolean {
    if (!this.insert(hi, lo)) return false;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  hasPrint(hi: number, lo: number): boolean {
    let i = hi & this.mask;
    for (;;) {
      const l = this.lo[i]!;
      if (l === 0) return false;
      if (l === lo && this.hi[i] === hi) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** Every fingerprint held, in table order. */
  forEachPrint(f: (hi: number, lo: number) => void): void {
    const { hi, lo } = this;
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0) f(hi[i]!, lo[i]!);
  }

  private insert(hi: number, lo: number): boolean {
    let i = hi & this.mask;
    for (;;) {
      const l = this.lo[i]!;
      if (l === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        return true;
      }
      if (l === lo && this.hi[i] === hi) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo } = this;
    const cap = (this.mask + 1) * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < hi.length; i++) if (lo[i] !== 0) this.insert(hi[i]!, lo[i]!);
  }
}
