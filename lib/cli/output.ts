import { stripVTControlCharacters, styleText } from 'node:util';
import type { Problem } from '#domain/core/problem.ts';
import type { CliError } from './exit-codes.ts';

type Style = Parameters<typeof styleText>[0];

export interface Output {
  json: boolean;
  /** Machine output: one JSON document on stdout. */
  data(value: unknown): void;
  /** A line for people on stdout. */
  line(text?: string): void;
  /** Raw text on stdout, as is. */
  raw(text: string): void;
  /** Notes for people on stderr (never mixed into machine output). */
  note(text: string): void;
  style(format: Style, text: string): string;
  table(rows: string[][], options?: { header?: string[] }): void;
  problems(problems: readonly Problem[]): void;
  error(error: CliError): void;
}

export interface OutputStreams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Display width, counting wide symbols like ✓ as one column. */
const width = (text: string): number => stripVTControlCharacters(text).length;

const pad = (text: string, size: number): string => text + ' '.repeat(Math.max(0, size - width(text)));

/** Align columns with two spaces between them; trailing blanks trimmed. */
export const alignRows = (rows: readonly string[][]): string[] => {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
};

/** `code  key/path  message`, aligned. */
export const problemRows = (problems: readonly Problem[]): string[][] =>
  problems.map((p) => [p.code, p.key ?? p.path ?? '-', p.message]);

export const createOutput = (json: boolean, streams: OutputStreams = process): Output => {
  // styleText checks the stream: colors only on a TTY, and NO_COLOR / FORCE_COLOR are honoured.
  const styleFor =
    (stream: OutputStreams['stdout']) =>
    (format: Style, text: string): string =>
      styleText(format, text, { stream: stream });
  const out = styleFor(streams.stdout);
  const err = styleFor(streams.stderr);
  const write = (text: string): void => {
    streams.stdout.write(text);
  };
  const output: Output = {
    json,
    data: (value) => {
      write(`${JSON.stringify(value, null, 2)}\n`);
    },
    line: (text = '') => {
      write(`${text}\n`);
    },
    raw: (text) => {
      write(text);
    },
    note: (text) => {
      streams.stderr.write(`${text}\n`);
    },
    style: out,
    table: (rows, options = {}) => {
      const all = options.header ? [options.header, ...rows] : rows;
      alignRows(all).forEach((line, i) => {
        output.line(options.header && i === 0 ? out('bold', line) : line);
      });
    },
    problems: (problems) => {
      for (const line of alignRows(problemRows(problems))) output.line(out('yellow', line));
    },
    error: (error) => {
      if (json) {
        const { problem } = error;
        output.data({
          error: { ...problem, message: error.message, exitCode: error.exitCode, hint: error.hint },
        });
      }
      streams.stderr.write(`${err('red', 'error')} ${error.message}\n`);
      const problems = error.problem?.problems ?? [];
      if (!json && problems.length > 0) {
        for (const line of alignRows(problemRows(problems))) streams.stderr.write(`  ${line}\n`);
      }
      if (!json) for (const line of error.details) streams.stderr.write(`  ${line}\n`);
      if (error.hint) streams.stderr.write(`${err('dim', 'hint')}  ${error.hint}\n`);
    },
  };
  return output;
};
