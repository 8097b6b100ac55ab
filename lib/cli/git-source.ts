import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { BundleSource } from '#domain/bundles/bundle.ts';

const run = promisify(execFile);

const git = async (cwd: string, ...args: string[]): Promise<string | undefined> => {
  try {
    return (await run('git', args, { cwd, timeout: 5000 })).stdout.trim();
  } catch {
    return undefined; // not a repository, no remote, or no git at all
  }
};

export interface GitSource {
  source: BundleSource;
  /** The file differs from the commit (or is not committed): `commit` is where it stands, not its content. */
  dirty: boolean;
}

/**
 * Where a file stands in git: the `origin` remote (else the work tree's path), HEAD's commit and the
 * path from the repository root. Undefined outside a repository or before its first commit.
 */
export const gitSourceOf = async (file: string): Promise<GitSource | undefined> => {
  const absolute = await realpath(file);
  const cwd = dirname(absolute);
  const [root, commit] = await Promise.all([
    git(cwd, 'rev-parse', '--show-toplevel'),
    git(cwd, 'rev-parse', 'HEAD'),
  ]);
  if (root === undefined || commit === undefined) return undefined;
  const path = relative(await realpath(root), absolute)
    .split(sep)
    .join('/');
  const [remote, status] = await Promise.all([
    git(cwd, 'remote', 'get-url', 'origin'),
    git(cwd, 'status', '--porcelain', '--', absolute),
  ]);
  return { source: { repository: remote || root, commit, path }, dirty: status !== '' };
};
