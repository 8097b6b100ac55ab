import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Files as repository-relative paths with `/`, each with the files it imports. */
export type ImportGraph = Map<string, string[]>;

/**
 * The module specifiers a file depends on: `import` (`import type` too: a type-only cycle still ties the
 * modules together), `export … from`, and `import('literal')` — the CLI's lazy loading defers a module,
 * but an action that imports its own command back is still a circle between them.
 */
export const importSpecifiers = (source: string): string[] => {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    const [first] = ts.isCallExpression(node) ? node.arguments : [];
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      first !== undefined &&
      ts.isStringLiteral(first)
    )
      found.push(first.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false));
  return found;
};

/**
 * The file `specifier` names from `from`: relative paths and package.json subpath `imports`
 * (`#domain/*` → `./lib/domain/*`); undefined for packages and `node:` modules.
 */
export const resolveImport = (
  from: string,
  specifier: string,
  subpaths: Record<string, string>,
): string | undefined => {
  if (specifier.startsWith('.')) return path.posix.join(path.posix.dirname(from), specifier);
  for (const [pattern, target] of Object.entries(subpaths)) {
    const prefix = pattern.replace(/\*$/, '');
    if (pattern.endsWith('*') && specifier.startsWith(prefix))
      return path.posix.normalize(target.replace(/\*$/, '') + specifier.slice(prefix.length));
    if (specifier === pattern) return path.posix.normalize(target);
  }
  return undefined;
};

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) =>
      path.posix.join(path.relative(process.cwd(), entry.parentPath).split(path.sep).join('/'), entry.name),
    );

/** The import graph of every .ts file under `dirs`, restricted to edges between those files. */
export const importGraph = (dirs: string[], subpaths: Record<string, string>): ImportGraph => {
  const files = dirs.flatMap(tsFiles).sort();
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = importSpecifiers(readFileSync(file, 'utf8'))
        .map((specifier) => resolveImport(file, specifier, subpaths))
        .filter((target): target is string => target !== undefined && known.has(target));
      return [file, [...new Set(targets)].sort()];
    }),
  );
};

/** A shortest path `from` → … → `to` inside `within`, as the files along it (both ends included). */
const shortestPath = (graph: ImportGraph, from: string, to: string, within: Set<string>): string[] => {
  const previous = new Map<string, string>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] as string;
    for (const next of graph.get(file) ?? []) {
      if (!within.has(next) || previous.has(next)) continue;
      previous.set(next, file);
      if (next === to) {
        const path = [to];
        while (path[0] !== from || path.length === 1) path.unshift(previous.get(path[0] as string) as string);
        return path;
      }
      queue.push(next);
    }
  }
  return [];
};

/** A cycle: the strongly connected files, sorted, and one path around it (`a → b → a`). */
export interface ImportCycle {
  files: string[];
  path: string[];
}

/** Every import cycle: one per strongly connected group of files (Tarjan), with a shortest loop. */
export const findCycles = (graph: ImportGraph): ImportCycle[] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next))
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) groups.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return groups
    .map((files) => ({
      files,
      path: shortestPath(graph, files[0] as string, files[0] as string, new Set(files)),
    }))
    .sort((a, b) => (a.files[0] as string).localeCompare(b.files[0] as string));
};
