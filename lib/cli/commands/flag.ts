import { Option, type Command } from 'commander';
import { collectPairs } from '../flag-context.ts';
import { lazy } from '../lazy.ts';

const EVALUATE_HELP = `
Context: --context k=v values are strings (numbers and booleans too); --context-file gives typed JSON,
and --context entries override it. targetingKey=... is the targeting key (the default stickiness).

Exit codes:
  0  a value was served: every reason but ERROR (DISABLED and PREREQUISITE_FAILED serve the off variant)
  1  ERROR: the flag is not defined (FLAG_NOT_FOUND) or could not be evaluated (the error code says why)
  2  usage (bad flags, unreadable context file)
  3  API unreachable or busy`;

const KILL_HELP = `
One environment commit of change kind flag-kill-switch: a new snapshot with only this flag's \`killed\`
changed, a deployment record and an audit event. A running rollout never holds it.

A kill of a killed flag (or an unkill of a live one) changes nothing and succeeds ("already killed").

Exit codes:
  0  done, or the switch was already in that position (nothing changed)
  1  refused: frozen (a window that does not allow flag-kill-switch), not allowed, unknown flag
  2  usage
  3  conflict (HEAD moved: retry) or API unreachable`;

const IMPORT_HELP = `
The output is a bundle (push it with \`convoy bundle push\`): one \`set\` change per flag, the whole
definition keyed by its catalog key. Unleash segments follow as a second YAML document (\`segments:\`):
they go into the catalog, not into the bundle. Import warnings (what Unleash does that Convoy imports
approximately or leaves out) are printed on stderr.`;

export const registerFlag = (program: Command): void => {
  const flag = program
    .command('flag')
    .description('feature flags: list, show, evaluate locally, import from Unleash, export');

  flag
    .command('list')
    .description('every flag of an environment: state, type, variants, rule count, splits')
    .requiredOption('--env <env>', 'environment')
    .action(lazy(async () => (await import('../actions/flag.ts')).list));

  flag
    .command('show <key>')
    .description('a flag definition, readable: variants, prerequisites, rules with constraints and splits')
    .requiredOption('--env <env>', 'environment')
    .action(lazy(async () => (await import('../actions/flag.ts')).show));

  flag
    .command('evaluate <key>')
    .description(
      'evaluate a flag for a context (locally, on the environment’s flag set): value, variant, reason, rule',
    )
    .requiredOption('--env <env>', 'environment')
    .option('--context <k=v>', 'a context attribute (repeatable)', collectPairs)
    .option('--context-file <file>', 'a JSON object of context attributes (typed values)')
    .addHelpText('after', EVALUATE_HELP)
    .action(lazy(async () => (await import('../actions/flag.ts')).evaluate));

  for (const [name, description] of [
    [
      'kill',
      'kill switch: serve the off variant now (change kind flag-kill-switch, allowed by some freezes)',
    ],
    ['unkill', 'release the kill switch: serve the flag as defined again'],
  ] as const) {
    flag
      .command(`${name} <key>`)
      .description(description)
      .requiredOption('--env <env>', 'environment')
      .requiredOption('--reason <text>', 'why (kept on the deployment record and in the audit event)')
      .option('--override <id>', 'an approved emergency override, for a freeze that does not allow it')
      .option('--idempotency-key <key>', 'retry safely with the same key (default: a fresh one)')
      .addHelpText('after', KILL_HELP)
      .action(lazy(async () => (await import('../actions/flag-kill.ts'))[name]));
  }

  flag
    .command('import <file>')
    .description('turn an Unleash /api/client/features payload into a bundle of flag definitions')
    .addOption(
      new Option('--from <source>', 'what the file comes from').choices(['unleash']).makeOptionMandatory(),
    )
    .option('--namespace <ns>', 'prefix every flag key with this namespace (ns.<feature name>)')
    .option('--out <file>', 'write the bundle to this file instead of stdout')
    .option('--name <name>', 'bundle name', 'unleash-import')
    .option('--bundle-version <version>', 'bundle version', '1')
    .option('--release <release>', 'bundle release label', 'unreleased')
    .option('--team <team>', 'bundle team (default: the namespace, else "flags")')
    .addHelpText('after', IMPORT_HELP)
    .action(lazy(async () => (await import('../actions/flag.ts')).importFlags));

  flag
    .command('report')
    .description(
      'every flag of an environment: state, variants served (counts, shares), last change, requirements, ' +
        'and findings: stale, inert, orphaned, drift',
    )
    .requiredOption('--env <env>', 'environment')
    .addOption(
      new Option('--format <format>', 'table (default), json or md').choices(['table', 'json', 'md']),
    )
    .option('--since <when>', 'start of the period: ISO 8601 instant or date (default: 30 days ago)')
    .option('--stale-days <days>', 'stale: days without a definition change (default 30)')
    .option('--dominant-share <share>', 'stale: share of one variant, 0..1 (default 0.999)')
    .option('--unused-days <days>', 'stale: days without evaluations (default 7)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action(lazy(async () => (await import('../actions/flag-report.ts')).flagReport));

  flag
    .command('export')
    .description('an environment’s flags as flagd/OpenFeature flag definitions or an AppConfig document')
    .requiredOption('--env <env>', 'environment')
    .addOption(
      new Option('--format <format>', 'target format')
        .choices(['openfeature', 'appconfig'])
        .makeOptionMandatory(),
    )
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(lazy(async () => (await import('../actions/flag.ts')).exportFlags));
};
