import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findCycles,
  importGraph,
  importSpecifiers,
  resolveImport,
  type ImportCycle,
  type ImportGraph,
} from '../../support/import-graph.ts';

const subpaths = (JSON.parse(readFileSync('package.json', 'utf8')) as { imports: Record<string, string> })
  .imports;

/**
 * Import cycles the code still has, each as its files (sorted, space-separated). This list may only
 * shrink: a new cycle fails the test, and so does an entry whose cycle is gone.
 */
const allowedCycles: string[] = [];

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));
const loops = (cycles: ImportCycle[]): string[] => cycles.map((cycle) => cycle.path.join(' → '));

/** What the check reports on a graph: new cycles (with a path around each) and stale allow-list entries. */
const cycleReport = (graph: ImportGraph, allowed: string[]): { cycles: string[]; stale: string[] } => {
  const cycles = findCycles(graph);
  const found = new Set(cycles.map((cycle) => cycle.files.join(' ')));
  return {
    cycles: loops(cycles.filter((cycle) => !allowed.includes(cycle.files.join(' ')))),
    stale: allowed.filter((entry) => !found.has(entry)),
  };
};

describe('import specifiers', () => {
  it.each([
    ["import { a } from './a.ts';", ['./a.ts']],
    ["import type { A } from '#domain/a.ts';", ['#domain/a.ts']],
    ["import { type A, b } from '../b.ts';", ['../b.ts']],
    ["export { a } from './a.ts';\nexport type { B } from './b.ts';", ['./a.ts', './b.ts']],
    ["export * from './a.ts';", ['./a.ts']],
    ["import './side-effect.ts';", ['./side-effect.ts']],
    ["import { z } from 'zod';\nimport { readFile } from 'node:fs/promises';", ['zod', 'node:fs/promises']],
    // Deferred loading runs after every module has initialised: not part of the graph.
    ["const lazy = async () => (await import('./late.ts')).x;", ['./late.ts']],
    ['const computed = (p: string) => import(p);', []],
    ["// import { a } from './a.ts';\nconst s = \"import { b } from './b.ts'\";", []],
  ])('%s', (source, expected) => {
    expect(importSpecifiers(source)).toEqual(expected);
  });
});

describe('import resolution', () => {
  it.each([
    ['lib/local/workflow/x.ts', './execution.ts', 'lib/local/workflow/execution.ts'],
    ['lib/local/workflow/x.ts', '../virtual-clock.ts', 'lib/local/virtual-clock.ts'],
    ['lib/local/x.ts', '#domain/core/errors.ts', 'lib/domain/core/errors.ts'],
    ['functions/api/x.ts', '#functions/shared/deps.ts', 'functions/shared/deps.ts'],
    ['lib/local/x.ts', 'zod', undefined],
    ['lib/local/x.ts', 'node:crypto', undefined],
  ])('%s imports %s', (from, specifier, expected) => {
    expect(resolveImport(from, specifier, subpaths)).toBe(expected);
  });
});

describe('cycle finder', () => {
  it.each<[string, Record<string, string[]>, string[]]>([
    ['a chain', { a: ['b'], b: ['c'], c: [] }, []],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, []],
    ['two files', { a: ['b'], b: ['a'] }, ['a → b → a']],
    ['three files, the shortest loop', { a: ['b'], b: ['c', 'a'], c: ['a'] }, ['a → b → a']],
    ['a triangle', { a: ['b'], b: ['c'], c: ['a'], d: ['a'] }, ['a → b → c → a']],
    ['a file importing itself', { a: ['a'], b: ['a'] }, ['a → a']],
    ['two separate cycles', { a: ['b'], b: ['a'], c: ['d'], d: ['c', 'a'] }, ['a → b → a', 'c → d → c']],
  ])('%s', (_name, edges, expected) => {
    expect(loops(findCycles(graphOf(edges)))).toEqual(expected);
  });

  it('reports a cycle off the allow-list, and an allowed cycle that is gone', () => {
    expect(cycleReport(graphOf({ a: ['b'], b: ['a'], c: ['d'], d: ['c'] }), ['c d', 'e f'])).toEqual({
      cycles: ['a → b → a'],
      stale: ['e f'],
    });
  });

  describe('on files', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
    const dir = path.relative(process.cwd(), root).split(path.sep).join('/');
    afterAll(() => {
      rmSync(root, { recursive: true, force: true });
    });

    it('finds a type-only cycle through a subpath alias', () => {
      mkdirSync(path.join(root, 'inner'));
      writeFileSync(path.join(root, 'a.ts'), "import type { B } from '#t/inner/b.ts';\nexport type A = B;\n");
      writeFileSync(
        path.join(root, 'inner', 'b.ts'),
        "import type { A } from '../a.ts';\nexport type B = A[];\n",
      );
      const graph = importGraph([dir], { '#t/*': `./${dir}/*` });
      expect(cycleReport(graph, []).cycles).toEqual([`${dir}/a.ts → ${dir}/inner/b.ts → ${dir}/a.ts`]);
    });
  });
});

describe('the code', () => {
  const graph = importGraph(['lib', 'functions'], subpaths);

  it('is read whole: aliases and relative imports become edges', () => {
    expect(graph.get('lib/local/workflow/workflow-runner.ts')).toEqual(
      expect.arrayContaining(['lib/domain/core/errors.ts', 'lib/local/workflow/execution-lifecycle.ts']),
    );
    expect([...graph.keys()].some((file) => file.startsWith('functions/'))).toBe(true);
  });

  it('has no import cycle beyond the allow-list, which only shrinks', () => {
    const report = cycleReport(graph, allowedCycles);
    expect(report.cycles, `import cycles:\n${report.cycles.join('\n')}`).toEqual([]);
    expect(report.stale, 'cycles gone: take them off allowedCycles').toEqual([]);
  });
});
