/**
 * Grammar checks for the pictures the renderers emit: no DOT or Mermaid parser is installed, so
 * each line must be one statement of the subset they use, with balanced clusters. Returns the
 * offending lines.
 */
const DOT_STRING = String.raw`"(?:[^"\\\n]|\\.)*"`;
const DOT_LINES = [
  /^digraph dependencies \{$/,
  /^ {2}rankdir=LR;$/,
  /^ {2}node \[fontname="Helvetica"\];$/,
  new RegExp(`^  subgraph ${DOT_STRING} \\{$`),
  new RegExp(`^    label=${DOT_STRING};$`),
  new RegExp(`^ {2,4}${DOT_STRING} \\[label=${DOT_STRING}, shape=[a-z0-9]+\\];$`),
  new RegExp(`^  ${DOT_STRING} -> ${DOT_STRING} \\[label=${DOT_STRING}\\];$`),
  /^ {0,2}\}$/,
];

const balanced = (lines: string[], open: RegExp, close: RegExp): boolean => {
  let depth = 0;
  for (const line of lines) {
    if (open.exec(line) !== null) depth += 1;
    if (close.exec(line) !== null) depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
};

export const checkDot = (text: string): string[] => {
  const lines = text.trimEnd().split('\n');
  const bad = lines.filter((line) => !DOT_LINES.some((rule) => rule.exec(line) !== null));
  return balanced(lines, /\{$/, /^ *\}$/) ? bad : [...bad, 'unbalanced braces'];
};

const LABEL = '"[^"\\n]*"';
const SHAPE = `(?:\\(\\[${LABEL}\\]\\)|\\[\\[${LABEL}\\]\\]|\\[${LABEL}\\]|\\(${LABEL}\\)|\\{${LABEL}\\}|\\{\\{${LABEL}\\}\\}|\\[\\(${LABEL}\\)\\])`;
const MERMAID_LINES = [
  /^flowchart LR$/,
  new RegExp(`^  subgraph c\\d+\\[${LABEL}\\]$`),
  new RegExp(`^ {2,4}n\\d+${SHAPE}$`),
  new RegExp(`^  n\\d+ -->\\|${LABEL}\\| n\\d+$`),
  /^ {2}end$/,
];

export const checkMermaid = (text: string): string[] => {
  const lines = text.trimEnd().split('\n');
  const bad = lines.filter((line) => !MERMAID_LINES.some((rule) => rule.exec(line) !== null));
  return balanced(lines, /^ {2}subgraph /, /^ {2}end$/) ? bad : [...bad, 'unbalanced subgraphs'];
};
