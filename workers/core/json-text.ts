// JSON text of a string without JSON.stringify when nothing needs escaping: the cleaned-item line
// is built by concatenation on the hot path, and nearly every id and timestamp is plain ASCII.
export const jsonString = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
};
