/**
 * Health alarm names are CloudWatch alarm names with one placeholder, `{env}`, replaced by each
 * environment of a phase. `prod-5xx` (no placeholder) is one shared alarm watched by every phase.
 */
export const ENV_PLACEHOLDER = '{env}';

/** CloudWatch allows 1-255 characters, printable ASCII excluding control characters. */
export const MAX_ALARM_NAME = 255;

/** Why a template is malformed, or undefined when it is fine. */
export const alarmTemplateError = (template: string): string | undefined => {
  if (template.trim() === '') return 'is empty';
  const rest = template.split(ENV_PLACEHOLDER).join('');
  const placeholder = /\{[^{}]*\}/.exec(rest);
  if (placeholder) return `has an unknown placeholder ${placeholder[0]}; only {env} is supported`;
  if (/[{}]/.test(rest)) return 'has an unbalanced { or }; write {env} for the environment';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(template)) return 'contains a control character';
  return undefined;
};

export const expandAlarmTemplate = (template: string, environment: string): string =>
  template.split(ENV_PLACEHOLDER).join(environment);
