/** Code-point order, the order of PostgreSQL's COLLATE "C" on UTF-8 (JS `<` compares UTF-16 units). */
export function cmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1; // a surrogate pair is above any BMP char
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
