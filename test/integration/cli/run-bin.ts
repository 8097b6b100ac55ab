import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The real `node bin/convoy-cli.ts ...args` as a user runs it, in a child process without colours,
 * with the environment `env()` gives at the time of the call (e.g. the API URL once a server listens).
 */
export const binRunner =
  (env: () => Record<string, string>) =>
  (...args: string[]): Promise<BinRun> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['bin/convoy-cli.ts', ...args],
        { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env() } },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
