import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '#infra/bundling.ts';
import { placeholdersOf } from '#local/asl-definition.ts';
import { synthConvoy } from './support/convoy-app.ts';
import { resourcesOf } from './support/template-query.ts';

/** Every ASL file and every deployed state machine: placeholders, conventions, error handling. */
const directory = path.join(projectRoot, 'statemachines');
const files = readdirSync(directory)
  .filter((f) => f.endsWith('.asl.json'))
  .map((file) => ({ file, text: readFileSync(path.join(directory, file), 'utf8') }));

interface StateJson {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Next?: string;
  End?: boolean;
  Choices?: { Next: string }[];
  Default?: string;
}
const statesOf = (text: string) => (JSON.parse(text) as { States: Record<string, StateJson> }).States;

const { template } = synthConvoy();
const machines = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).map((m) => ({
  definition: m.Properties?.DefinitionString as string,
  substitutions: (m.Properties?.DefinitionSubstitutions ?? {}) as Record<string, unknown>,
}));

describe.each(files)('statemachines/$file', ({ file, text }) => {
  test('is deployed, and every ${Placeholder} has a substitution (and every substitution a placeholder)', () => {
    const deployed = machines.filter((m) => m.definition === text);
    expect(deployed, `${file} is deployed by exactly one state machine`).toHaveLength(1);
    expect(Object.keys(deployed[0]!.substitutions).sort()).toEqual(placeholdersOf(text));
  });

  test('names placeholders in PascalCase ending in Arn or Name', () => {
    for (const name of placeholdersOf(text)) expect(name).toMatch(/^[A-Z][A-Za-z0-9]*(Arn|Name)$/);
  });

  test('names states in Title Case', () => {
    for (const name of Object.keys(statesOf(text)))
      expect(name).toMatch(/^[A-Z][a-z0-9]*( [A-Z][a-z0-9]*)*\??$/);
  });

  test('gives every Task a Retry for transient service errors and a Catch that routes to a state', () => {
    const states = statesOf(text);
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      if (state.Resource?.startsWith('arn:aws:states:::lambda:invoke')) {
        for (const error of [
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
          'Lambda.SdkClientException',
        ]) {
          expect(retried, `${name} retries ${error}`).toContain(error);
        }
      } else {
        expect(retried.length, `${name} retries something`).toBeGreaterThan(0);
      }
      const caught = state.Catch ?? [];
      expect(caught.map((c) => c.ErrorEquals).flat(), `${name} catches everything`).toContain('States.ALL');
      for (const c of caught) expect(states, `${name} catches to ${c.Next}`).toHaveProperty([c.Next]);
    }
  });

  test('every transition leads to a state, and every state is reachable', () => {
    const states = statesOf(text);
    const start = (JSON.parse(text) as { StartAt: string }).StartAt;
    const targets = (s: StateJson) => [
      ...(s.Next ? [s.Next] : []),
      ...(s.Default ? [s.Default] : []),
      ...(s.Choices ?? []).map((c) => c.Next),
      ...(s.Catch ?? []).map((c) => c.Next),
    ];
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const state = states[queue.shift()!];
      expect(state).toBeDefined();
      for (const next of targets(state!)) {
        expect(states, `transition to ${next}`).toHaveProperty([next]);
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(states).sort());
  });
});
