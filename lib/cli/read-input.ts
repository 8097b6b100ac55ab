import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { usageError } from './exit-codes.ts';

export interface InputFile {
  path: string;
  text: string;
  format: 'json' | 'yaml';
  contentType: 'application/json' | 'application/yaml';
}

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A catalog or bundle file (`-` reads stdin); JSON by extension or first character, else YAML. */
export const readInputFile = async (path: string): Promise<InputFile> => {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(
      `Cannot read ${path} (${reason}).`,
      'Check the path; pass a YAML or JSON file, or - for stdin.',
    );
  }
  const extension = extname(path).toLowerCase();
  const json =
    extension === '.json' || (extension !== '.yaml' && extension !== '.yml' && /^\s*[{[]/.test(text));
  return json
    ? { path, text, format: 'json', contentType: 'application/json' }
    : { path, text, format: 'yaml', contentType: 'application/yaml' };
};
