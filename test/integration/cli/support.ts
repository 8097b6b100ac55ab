import { vi } from 'vitest';
import { runCli } from '#cli/run.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON shapes
  json: any;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * `convoy ...args` in this process (the real commander program, API client and output), its stdout and
 * stderr captured. Runs one at a time: the streams are shared.
 */
export const cli = async (...args: string[]): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  let code: number;
  try {
    code = await runCli(['node', 'convoy', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr, json: parseJson(stdout) };
};
