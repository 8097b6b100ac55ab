/**
 * The RFC 5545 content-line layer: unfolding and folding, `NAME;PARAM=VALUE:value` lines, TEXT
 * escaping, and DATE / DATE-TIME values. No calendar semantics here.
 */
export interface ContentLine {
  name: string;
  params: Record<string, string>;
  value: string;
}

const MAX_OCTETS = 75;
const encoder = new TextEncoder();

/** An unfolded line and the number (from 1) of the physical line it starts on. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** Join folded lines (a line break followed by a space or tab continues the previous line), numbered. */
export const unfoldNumbered = (text: string): NumberedLine[] => {
  const lines: NumberedLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((physical, index) => {
    const previous = lines.at(-1);
    if (previous !== undefined && (physical.startsWith(' ') || physical.startsWith('\t')))
      previous.text += physical.slice(1);
    else lines.push({ line: index + 1, text: physical });
  });
  return lines.filter((line) => line.text.trim() !== '');
};

/** Join folded lines: a line break followed by a space or tab continues the previous line. */
export const unfold = (text: string): string[] => unfoldNumbered(text).map((line) => line.text);

/** Parse one unfolded line; null when it has no `:` separating the name from the value. */
export const parseContentLine = (line: string): ContentLine | null => {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  // Parameters are separated by `;` outside quotes: a `;` followed by an even number of quotes.
  const [name, ...rawParams] = line.slice(0, colon).split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/) as [
    string,
    ...string[],
  ];
  if (name === '') return null;
  const params: Record<string, string> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq > 0) params[raw.slice(0, eq).toUpperCase()] = raw.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
};

/** Escape a TEXT value: backslash, semicolon, comma and line breaks. */
export const escapeText = (text: string): string =>
  text.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');

export const unescapeText = (text: string): string =>
  text.replace(/\\([\\;,nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));

/** A parameter value, quoted when it contains `:`, `;` or `,`. */
export const paramValue = (value: string): string =>
  /[:;,]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;

/** Fold a line to at most 75 octets per physical line, never splitting a UTF-8 character. */
export const foldLine = (line: string): string => {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDDTHHMMSS` of a wall time (epoch ms of the reading in UTC), with `Z` when it is UTC. */
export const formatIcsDateTime = (ms: number, utc: boolean): string => {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${utc ? 'Z' : ''}`
  );
};

/** A DATE or DATE-TIME value: the reading as epoch ms in UTC, whether it was UTC (`Z`), whether a DATE. */
export const parseIcsDateTime = (value: string): { ms: number; utc: boolean; date: boolean } | null => {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, z] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  // Date.UTC rolls 30 February over into March; a value that does not read back is not a date.
  const written = h === undefined ? `${y}${mo}${d}` : `${y}${mo}${d}T${h}${mi}${s}`;
  if (!formatIcsDateTime(ms, false).startsWith(written)) return null;
  return { ms, utc: z !== undefined, date: h === undefined };
};

/** `2026-12-20T18:00:00` (a local reading) from wall ms. */
export const localIso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** RFC 5545 names: an iana-token or an x-name, letters, digits and dashes. */
const CONTENT_NAME = /^[A-Za-z0-9-]+$/;
/** A broken file reports this many problems at most; the first ones are what needs fixing. */
const MAX_SYNTAX_PROBLEMS = 20;

export interface SyntaxProblem {
  line: number;
  message: string;
}

const shown = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);

/**
 * Where a calendar file is not a stream of well-formed `BEGIN:VCALENDAR` … `END:VCALENDAR` objects: a
 * line that is not `NAME[;PARAM=…]:value`, text before or after a calendar, an END that closes
 * nothing or the wrong component, a component never closed. Importing such a file would read junk
 * (a stray VEVENT after the calendar becomes a window over everything), so it is refused instead.
 */
export const structureProblems = (lines: readonly NumberedLine[]): SyntaxProblem[] => {
  const problems: SyntaxProblem[] = [];
  const open: { name: string; line: number }[] = [];
  for (const { line, text } of lines) {
    if (problems.length >= MAX_SYNTAX_PROBLEMS) return problems;
    const content = parseContentLine(text);
    if (content === null || !CONTENT_NAME.test(content.name)) {
      problems.push({ line, message: `${shown(text)} is not an iCalendar content line (NAME:value)` });
      continue;
    }
    const component = content.value.trim().toUpperCase();
    if (open.length === 0 && !(content.name === 'BEGIN' && component === 'VCALENDAR')) {
      problems.push({ line, message: `${shown(text)} is outside BEGIN:VCALENDAR … END:VCALENDAR` });
    } else if (content.name === 'BEGIN') {
      if (component === 'VCALENDAR' && open.length > 0)
        problems.push({ line, message: 'BEGIN:VCALENDAR inside a calendar; close the first one' });
      else open.push({ name: component, line });
    } else if (content.name === 'END') {
      // Never empty here: an END with nothing open is outside every calendar (above).
      const top = open[open.length - 1] as { name: string };
      if (top.name === component) open.pop();
      else problems.push({ line, message: `END:${component} does not close BEGIN:${top.name}` });
    }
  }
  for (const { name, line } of open.slice(0, MAX_SYNTAX_PROBLEMS - problems.length))
    problems.push({ line, message: `BEGIN:${name} is never closed by END:${name}` });
  return problems;
};
