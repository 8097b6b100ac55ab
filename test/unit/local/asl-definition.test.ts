import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition, placeholdersOf, stateMachineFile, substitute } from '#local/asl-definition.ts';
import { projectRoot } from '#local/lambda-runtime.ts';
import { localSubstitutions, localWorkflowNames } from '#local/local-workflows.ts';

describe('ASL definitions in the embedded runtime', () => {
  it('lists placeholders once each, sorted', () => {
    expect(placeholdersOf('{"a":"${Zed}","b":"${Alpha}","c":"${Zed}","d":"$.x"}')).toEqual(['Alpha', 'Zed']);
  });

  it('substitutes as JSON string content and refuses a placeholder without a value', () => {
    expect(substitute('{"a":"${Name}"}', { Name: 'say "hi"' })).toBe('{"a":"say \\"hi\\""}');
    expect(() => substitute('{"a":"${One}","b":"${Two}"}', { One: 'x' })).toThrow(/\$\{Two\}/);
  });

  it('runs every statemachines/*.asl.json file with a local value for each of its placeholders', () => {
    const files = readdirSync(join(projectRoot, 'statemachines')).filter((f) => f.endsWith('.asl.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const workflow = file.replace(/\.asl\.json$/, '');
      expect(localWorkflowNames, file).toContain(workflow);
      const text = readFileSync(stateMachineFile(workflow), 'utf8');
      for (const name of placeholdersOf(text))
        expect(localSubstitutions, `${file}: ${name}`).toHaveProperty(name);
      expect(loadDefinition(stateMachineFile(workflow), localSubstitutions).StartAt).toBeDefined();
    }
  });
});
