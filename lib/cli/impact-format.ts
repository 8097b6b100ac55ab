import type { Impact } from '#domain/dependencies/impact-model.ts';
import type { GraphPath } from '#domain/dependencies/focus.ts';

const list = (items: readonly string[]): string => (items.length === 0 ? '-' : items.join(', '));

const section = (title: string, lines: readonly string[]): string[] =>
  lines.length === 0 ? [] : ['', `${title}:`, ...lines.map((line) => `  ${line}`)];

/** Why a change set cannot go ahead unattended: a cycle in its plan or a sign-off still owed. */
export const impactBlockers = (impact: Impact): string[] => [
  ...impact.plan.cycles.map((cycle) => `cycle: ${cycle.join(' → ')}`),
  ...impact.plan.signOff.map((team) => `sign-off required: ${team}`),
];

/** `convoy impact` for people: the risk summary first, then what it touches and the plan. */
export const formatImpact = (impact: Impact): string => {
  const plan = impact.plan;
  const lines = [
    impact.summary,
    ...section('Changed keys', impact.changed),
    ...section(
      'Affected',
      impact.affected.map((node) => `${node.id}  via ${node.path.join(' → ')}`),
    ),
    ...section(
      'Services',
      impact.services.map((service) => {
        const runs = service.runs.map((run) => `${run.environment}@${run.version}`);
        const team = service.team === undefined ? '' : ` (${service.team})`;
        return `${service.service}${team}: keys ${list(service.keys)}; runs ${list(runs)}`;
      }),
    ),
    '',
    `Teams: ${list(impact.teams)}`,
    `Environments: ${list(impact.environments)}`,
    `Flags: ${list(impact.flags)}`,
    ...section('Unknown', impact.unknown),
    ...section('Conflicts', [
      ...impact.bundles.map((other) => {
        const team = other.team === undefined ? '' : ` (${other.team})`;
        return `bundle ${other.bundle}${team}: same keys ${list(other.sameKeys)}; affected keys ${list(other.affectedKeys)}`;
      }),
      ...impact.rollouts.map(
        (rollout) =>
          `rollout ${rollout.rollout} of ${rollout.bundle} in ${list(rollout.environments)}: keys ${list(rollout.keys)}`,
      ),
    ]),
    ...section(
      'Freezes',
      impact.freezes.map(
        (freeze) =>
          `${freeze.window}: ${freeze.active ? 'in force' : `in ${freeze.inDays} day(s)`} (from ${new Date(freeze.startsAt).toISOString()})`,
      ),
    ),
    '',
    'Coordination plan:',
    `  authors: ${list(plan.authors)}`,
    `  sign-off: ${list(plan.signOff)}`,
    ...plan.order.map((step, index) => {
      const team = step.team === undefined ? '' : ` (${step.team})`;
      const after = step.after.length === 0 ? '' : ` after ${step.after.join(', ')}`;
      const unmet =
        step.unmet === undefined || step.unmet.length === 0
          ? ''
          : ` [unmet: ${step.unmet.map((u) => `${u.environment} runs ${u.version ?? 'nothing'}, needs ${u.ranges.join(' ')}`).join('; ')}]`;
      return `  ${index + 1}. ${step.id}${team}${after}${unmet}`;
    }),
    ...plan.cycles.map((cycle) => `  cycle: ${cycle.join(' → ')}`),
  ];
  return `${lines.join('\n')}\n`;
};

/** `convoy deps why`: one line per hop, with the edge kind and its direction. */
export const formatPath = (path: GraphPath): string => {
  const lines = [path.nodes[0] ?? ''];
  for (const [index, step] of path.steps.entries()) {
    const next = path.nodes[index + 1] ?? '';
    const arrow = step.forward ? `--${step.edge.kind}-->` : `<--${step.edge.kind}--`;
    lines.push(`  ${arrow} ${next}`);
  }
  if (!path.directed) lines.push('(some hops go against their edge direction)');
  return `${lines.join('\n')}\n`;
};
