// "Did you mean" hints, shared by the lint rules and the builder's flag parsing so both
// suggest the same way (BuildKit's suggest package).

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** BuildKit's `suggest.Search`: the closest option at distance < 3, '' when none or exact. */
export function suggest(value: string, options: Iterable<string>, caseSensitive = true): string {
  const v = caseSensitive ? value : value.toLowerCase();
  let best = '', min = 3;
  for (const o of options) {
    const opt = caseSensitive ? o : o.toLowerCase();
    if (opt === v) return '';
    const d = editDistance(v, opt);
    if (d < min) { best = o; min = d; }
  }
  return best;
}
