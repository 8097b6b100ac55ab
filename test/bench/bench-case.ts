/** One benchmark: `run` returns per-iteration durations in milliseconds. */
export interface BenchCase {
  name: string;
  /** What the issue asks for, e.g. "median <= 100 ms". */
  target: string;
  /** Checked against the median of the samples. */
  targetMedianMs?: number;
  /**
   * Samples in ms, optionally with derived figures (ratios, sizes) to report beside them, and `met` for a
   * target that is not an absolute median (e.g. relative to another measurement).
   */
  run(): Promise<number[] | { samples: number[]; notes: Record<string, number | string>; met?: boolean }>;
}

/** Time `fn` `iterations` times after `warmup` unmeasured runs. */
export const sample = async (fn: () => unknown, iterations: number, warmup = 2): Promise<number[]> => {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
};
