// A Map keyed by id text that stores plain decimal ids ("12345": no sign, no leading zero, at most
// nine digits, which is what real shop ids are) as small integers. With 0.5–1.3 M orders the id
// Maps outgrow the CPU caches: a string key costs a lookup one more memory load (the key's own
// characters, to compare) and the Map one string object per entry; an integer key is compared
// in place. Every other text stays a string key. The mapping is one-to-one — a number key only
// ever comes from its one canonical decimal spelling — so "007" and "7" stay distinct ids.
const MAX_DIGITS = 9;

/** The Map key for an id: its integer when the text is a plain decimal, else the text itself. */
export const idKey = (id: string): string | number => {
  const n = id.length;
  if (n === 0 || n > MAX_DIGITS || (n > 1 && id.charCodeAt(0) === 48)) return id;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return id;
    v = v * 10 + d;
  }
  return v;
};

export class IdMap<V> {
  private readonly map = new Map<string | number, V>();

  get size(): number {
    return this.map.size;
  }
  get(id: string): V | undefined {
    return this.map.get(idKey(id));
  }
  has(id: string): boolean {
    return this.map.has(idKey(id));
  }
  set(id: string, value: V): this {
    this.map.set(idKey(id), value);
    return this;
  }
  delete(id: string): boolean {
    return this.map.delete(idKey(id));
  }
  // By Map key (idKey's output): moving entries between IdMaps without reparsing the ids.
  forEachKey(f: (value: V, key: string | number) => void): void {
    this.map.forEach(f);
  }
  hasKey(key: string | number): boolean {
    return this.map.has(key);
  }
  setKey(key: string | number, value: V): void {
    this.map.set(key, value);
  }
}
