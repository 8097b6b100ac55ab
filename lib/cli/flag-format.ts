import { formatUnmet } from '#domain/flags/requirements.ts';
import { DEFAULT_BUCKETS } from '#domain/flags/bucket.ts';
import type { Constraint, Segment } from '#domain/flags/constraint.ts';
import type { EvaluationResult } from '#domain/flags/evaluation-result.ts';
import type { Bucketing, FlagDefinition, Rule, SplitEntry } from '#domain/flags/flag.ts';

/** What `convoy flag list|show|evaluate` print for people; pure, so golden files pin it. */

export const flagState = (flag: FlagDefinition): 'killed' | 'enabled' | 'disabled' =>
  flag.killed ? 'killed' : flag.enabled ? 'enabled' : 'disabled';

/** A weight as a percentage of the bucket count: `50%`, `12.5%`. */
const percent = (weight: number, bucketing: Pick<Bucketing, 'buckets'>): string =>
  `${Number(((weight * 100) / (bucketing.buckets ?? DEFAULT_BUCKETS)).toFixed(2))}%`;

const splitText = (split: readonly SplitEntry[], bucketing: Bucketing): string =>
  split.map((s) => `${s.variant} ${percent(s.weight, bucketing)}`).join(' / ');

const stickinessText = (bucketing: Bucketing): string => {
  const names = bucketing.stickiness ?? 'targetingKey';
  return typeof names === 'string' ? names : names.join('|');
};

/** The shares a flag splits, rule by rule: `#1 on 50% / off 50%`, `#0 25% of contexts`; `-` for none. */
export const splitSummary = (flag: FlagDefinition): string => {
  const parts: string[] = [];
  flag.rules.forEach((rule, index) => {
    if (rule.rollout) parts.push(`#${index} ${splitText(rule.rollout.split, rule.rollout)}`);
    else if (rule.percentage)
      parts.push(`#${index} ${percent(rule.percentage.weight, rule.percentage)} of contexts`);
  });
  return parts.length === 0 ? '-' : parts.join('; ');
};

export const LIST_HEADER = ['KEY', 'STATE', 'TYPE', 'DEFAULT', 'OFF', 'RULES', 'SPLIT'];

/** One row per flag, in key order. */
export const flagRows = (flags: Readonly<Record<string, FlagDefinition>>): string[][] =>
  Object.keys(flags)
    .sort()
    .map((key) => {
      const flag = flags[key] as FlagDefinition;
      return [
        key,
        flagState(flag),
        flag.type,
        flag.defaultVariant,
        flag.offVariant,
        String(flag.rules.length),
        splitSummary(flag),
      ];
    });

/** `country IN [de, at]`, `NOT version SEMVER_LT 2.0.0 (case-insensitive)`. */
export const constraintText = (c: Constraint): string => {
  const operand = c.values === undefined ? (c.value ?? '') : `[${c.values.join(', ')}]`;
  const text = `${c.attribute} ${c.operator} ${operand}`.trimEnd();
  return `${c.inverted ? 'NOT ' : ''}${text}${c.caseInsensitive ? ' (case-insensitive)' : ''}`;
};

const valueText = (value: unknown): string => JSON.stringify(value);

const ruleLines = (rule: Rule, index: number, segments: Readonly<Record<string, Segment>>): string[] => {
  const lines = [`  #${index}${rule.description === undefined ? '' : ` ${rule.description}`}`];
  for (const c of rule.constraints) lines.push(`      when ${constraintText(c)}`);
  for (const name of rule.segments) {
    const segment = Object.hasOwn(segments, name) ? segments[name] : undefined;
    const inner = segment?.constraints.map(constraintText).join(' AND ') ?? 'unknown segment';
    lines.push(`      in segment ${name} (${inner})`);
  }
  if (rule.percentage) {
    lines.push(
      `      for ${percent(rule.percentage.weight, rule.percentage)} of contexts by ${stickinessText(rule.percentage)}`,
    );
  }
  if (rule.variant !== undefined) lines.push(`      serve ${rule.variant}`);
  if (rule.rollout) {
    lines.push(
      `      split ${splitText(rule.rollout.split, rule.rollout)} by ${stickinessText(rule.rollout)}`,
    );
  }
  return lines;
};

/** The definition, readable: state, variants, prerequisites, then the rules in evaluation order. */
export const flagLines = (
  key: string,
  flag: FlagDefinition,
  segments: Readonly<Record<string, Segment>>,
): string[] => {
  const lines = [`${key}  ${flag.type}  ${flagState(flag)}`];
  if (flag.description !== undefined) lines.push(flag.description);
  lines.push('', 'variants:');
  for (const [name, value] of Object.entries(flag.variants as Record<string, unknown>)) {
    const marks = [
      ...(name === flag.defaultVariant ? ['default'] : []),
      ...(name === flag.offVariant ? ['off'] : []),
    ];
    lines.push(`  ${name} = ${valueText(value)}${marks.length === 0 ? '' : `  (${marks.join(', ')})`}`);
  }
  if (flag.requires !== undefined && flag.requires.length > 0) {
    lines.push('', 'requires (deployed in the environment, else serve the off variant):');
    for (const r of flag.requires)
      lines.push(`  ${r.service} ${r.range}${r.variant === undefined ? '' : ` (for variant ${r.variant})`}`);
  }
  if (flag.prerequisites.length > 0) {
    lines.push('', 'prerequisites:');
    for (const p of flag.prerequisites) lines.push(`  ${p.flag} is ${p.variants.join(' or ')}`);
  }
  if (flag.rules.length === 0) {
    lines.push('', `rules: none, serve ${flag.defaultVariant}`);
    return lines;
  }
  lines.push('', 'rules (first match wins):');
  flag.rules.forEach((rule, index) => lines.push(...ruleLines(rule, index, segments)));
  lines.push(`  otherwise serve ${flag.defaultVariant}`);
  return lines;
};

/** `value`, `variant`, `reason`, `rule` (and the error) as aligned label/value pairs. */
export const evaluationRows = (key: string, result: EvaluationResult): string[][] => {
  const rows = [['flag', key]];
  if (result.reason === 'ERROR') {
    rows.push(['reason', 'ERROR'], ['error', result.errorCode], ['message', result.errorMessage]);
  } else {
    rows.push(['value', valueText(result.value)], ['variant', result.variant], ['reason', result.reason]);
  }
  if (result.ruleIndex !== undefined) rows.push(['rule', `#${result.ruleIndex}`]);
  if (result.unmet !== undefined) rows.push(['unmet', formatUnmet(result.unmet)]);
  return rows;
};
