/** How near a written name is to a known one: the one edit distance every "did you mean" of InitLint uses. */

/**
 * Damerau–Levenshtein distance (optimal string alignment: a swap of neighbours is one edit, as in `kernel_intializer`
 * → `kernel_initializer` one deletion, `rleu` → `relu` one swap). Past `limit` edits the exact count does not
 * matter: names whose lengths differ by more give `limit + 1` without a table.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2][j - 2] + 1);
      rows[i][j] = distance;
    }
  }
  return rows[a.length][b.length];
}
