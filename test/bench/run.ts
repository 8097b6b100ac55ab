import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchCase } from './bench-case.ts';

const here = dirname(fileURLToPath(import.meta.url));
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const only = process.argv.slice(2);
const files = readdirSync(join(here, 'cases'))
  .filter((f) => f.endsWith('.ts'))
  .sort();
const results: Record<string, unknown>[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(here, 'cases', file)).href)) as { cases: BenchCase[] };
  for (const bench of module.cases) {
    if (only.length > 0 && !only.some((o) => bench.name.includes(o) || file.startsWith(o))) continue;
    const outcome = await bench.run();
    const samples = (Array.isArray(outcome) ? outcome : outcome.samples).sort((a, b) => a - b);
    const notes = Array.isArray(outcome) ? {} : outcome.notes;
    const median = quantile(samples, 0.5);
    const p95 = quantile(samples, 0.95);
    const met =
      (Array.isArray(outcome) ? undefined : outcome.met) ??
      (bench.targetMedianMs === undefined ? undefined : median <= bench.targetMedianMs);
    results.push({
      name: bench.name,
      target: bench.target,
      n: samples.length,
      medianMs: median,
      p95Ms: p95,
      met,
      ...(Object.keys(notes).length === 0 ? {} : { notes }),
    });
    console.log(
      `${bench.name.padEnd(58)} n=${String(samples.length).padStart(4)}  median=${median.toFixed(3).padStart(10)} ms` +
        `  p95=${p95.toFixed(3).padStart(10)} ms  target: ${bench.target}${met === undefined ? '' : met ? '  ok' : '  MISSED'}`,
    );
    for (const [key, value] of Object.entries(notes)) console.log(`${''.padEnd(60)}${key}: ${value}`);
  }
}
mkdirSync('bench-results', { recursive: true });
const output = { at: new Date().toISOString(), node: process.version, results };
writeFileSync(join('bench-results', 'bench.json'), `${JSON.stringify(output, null, 2)}\n`);
console.log('\nwrote bench-results/bench.json');
