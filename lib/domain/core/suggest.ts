/** Edits a suggestion may be away: about one per four characters, at least 1, at most 4. */
export const suggestionThreshold = (input: string): number =>
  Math.min(4, Math.max(1, Math.floor(input.length / 4)));

/**
 * Levenshtein distance between a and b, or `limit + 1` as soon as it must exceed `limit`. Only a
 * band of width 2·limit+1 around the diagonal is computed, so one comparison costs O(length·limit).
 */
export const boundedDistance = (a: string, b: string, limit: number): number => {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const over = limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : over));
  let current = new Array<number>(b.length + 1).fill(over);
  // Cells outside the band hold `over`; reading past a row end cannot happen but reads the same.
  const cell = (row: readonly number[], j: number): number => row[j] ?? over;
  for (let i = 1; i <= a.length; i += 1) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    current.fill(over);
    current[0] = i <= limit ? i : over;
    let rowMin = current[0];
    for (let j = from; j <= to; j += 1) {
      const substitution = cell(previous, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min(substitution, cell(previous, j) + 1, cell(current, j - 1) + 1, over);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return over;
    [previous, current] = [current, previous];
  }
  return cell(previous, b.length);
};

/**
 * The candidate closest to `input` by edit distance, if one is within the threshold; ties go to the
 * first candidate seen. Candidates whose length alone rules them out cost O(1), and the search
 * narrows its bound as it finds better matches.
 */
export const closest = (input: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined;
  let limit = suggestionThreshold(input);
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - input.length) > limit) continue;
    const distance = boundedDistance(input, candidate, limit);
    if (distance > limit) continue;
    if (distance === 0) return candidate;
    best = candidate;
    // Only a strictly closer candidate can replace this one.
    limit = distance - 1;
  }
  return best;
};
