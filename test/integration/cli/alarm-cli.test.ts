import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { LocalAlarms } from '#local/local-alarms.ts';
import { cli } from './support.ts';

/**
 * `convoy alarm` against the embedded server's local-only routes (`/local/...`), backed by the
 * LocalAlarms the rollout's health check reads; and against a server without them (AWS-like).
 */
let local: ApiServer;
let remote: ApiServer;
const alarms = new LocalAlarms();

const noHandlers = (): Promise<never> => Promise.reject(new Error('no handler in this test'));

beforeAll(async () => {
  local = await startApiServer({ port: 0, alarms, loadHandler: noHandlers });
  remote = await startApiServer({ port: 0, loadHandler: noHandlers });
});

afterAll(async () => {
  await local.close();
  await remote.close();
});

const convoy = (...args: string[]) => cli(...args, '--api', local.url, '--as', 'olivia');

const put = (path: string, body: string) =>
  fetch(`${local.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

describe('convoy alarm', () => {
  it('sets alarms, lists them sorted, and the rollout check reads them', async () => {
    const set = await convoy('alarm', 'set', 'prod-eu-5xx-rate', 'ALARM');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('✓ alarm prod-eu-5xx-rate is ALARM\n');
    expect((await convoy('alarm', 'set', 'dev-5xx-rate', 'OK', '--json')).json).toEqual({
      name: 'dev-5xx-rate',
      state: 'OK',
    });
    expect(alarms.describeAlarms({ AlarmNames: ['prod-eu-5xx-rate', 'missing'] })).toEqual({
      MetricAlarms: [{ AlarmName: 'prod-eu-5xx-rate', StateValue: 'ALARM' }],
    });

    const listed = await convoy('alarm', 'list', '--json');
    expect(listed.json).toEqual({
      alarms: [
        { name: 'dev-5xx-rate', state: 'OK' },
        { name: 'prod-eu-5xx-rate', state: 'ALARM' },
      ],
      outage: false,
    });
    const human = await convoy('alarm', 'list');
    expect(human.stdout).toContain('monitoring  available');
    expect(human.stdout).toMatch(/ALARM +STATE\n/);
    expect(human.stdout).toMatch(/prod-eu-5xx-rate +ALARM\n/);
  });

  it('switches a monitoring outage on and off: DescribeAlarms fails meanwhile', async () => {
    const on = await convoy('alarm', 'outage', 'on');
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain('monitoring outage on');
    expect(() => alarms.describeAlarms({})).toThrow(/unavailable/);
    expect((await convoy('alarm', 'list')).stdout).toContain('monitoring  OUTAGE (DescribeAlarms fails)');
    expect((await convoy('alarm', 'list', '--json')).json.outage).toBe(true);

    const off = await convoy('alarm', 'outage', 'off', '--json');
    expect(off.json).toEqual({ unavailable: false });
    expect((await convoy('alarm', 'outage', 'off')).stdout).toContain('monitoring available again');
    expect(alarms.inOutage).toBe(false);
  });

  it('says when no alarm exists yet', async () => {
    const empty = new LocalAlarms();
    const server = await startApiServer({ port: 0, alarms: empty, loadHandler: noHandlers });
    try {
      const listed = await cli('alarm', 'list', '--api', server.url, '--as', 'olivia');
      expect(listed.stdout).toContain('No alarms yet');
    } finally {
      await server.close();
    }
  });

  it.each([
    [['alarm', 'set', 'x', 'RED'], /argument value 'RED' is invalid/],
    [['alarm', 'set', 'x'], /missing required argument 'state'/],
    [['alarm', 'outage', 'maybe'], /argument value 'maybe' is invalid/],
  ])('refuses bad arguments with exit 2: %j', async (args, message) => {
    const run = await convoy(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('against a server without a local alarm source: exit 1, alarms are CloudWatch’s on AWS', async () => {
    for (const args of [
      ['alarm', 'set', 'a', 'OK'],
      ['alarm', 'outage', 'on'],
      ['alarm', 'list'],
    ]) {
      const run = await cli(...args, '--api', remote.url, '--as', 'olivia');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("has no local alarm source: on AWS, health alarms are CloudWatch's");
      expect(run.stderr).toContain('aws cloudwatch set-alarm-state');
    }
  });
});

describe('the local alarm routes', () => {
  it.each([
    [
      'a state not allowed',
      '/local/alarms/a',
      '{"state":"RED"}',
      'body.state',
      /expected one of "OK", "ALARM", "INSUFFICIENT_DATA"/,
    ],
    [
      'a missing state',
      '/local/alarms/a',
      '{}',
      'body.state',
      /expected one of "OK", "ALARM", "INSUFFICIENT_DATA", got undefined/,
    ],
    ['an unknown field', '/local/alarms/a', '{"state":"OK","why":1}', 'body.why', /unknown field "why"/],
    ['malformed JSON', '/local/alarms/a', '{"state":', 'body', /line 1/],
    ['an empty body', '/local/alarms/a', '', 'body', /a body is required/],
    [
      'a body too large',
      '/local/alarms/a',
      `{"state":"${'x'.repeat(20_000)}"}`,
      'body',
      /at most 16384 bytes/,
    ],
    ['a name too long', `/local/alarms/${'n'.repeat(256)}`, '{"state":"OK"}', 'path.name', /at most 255/],
    [
      'a control character in the name',
      '/local/alarms/a%00b',
      '{"state":"OK"}',
      'path.name',
      /control characters/,
    ],
    [
      'a non-boolean outage',
      '/local/monitoring',
      '{"unavailable":"yes"}',
      'body.unavailable',
      /expected boolean/,
    ],
  ])('answer 400 naming the field for %s, and change nothing', async (_case, path, body, field, message) => {
    const before = { alarms: alarms.list(), outage: alarms.inOutage };
    const response = await put(path, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as {
      code: string;
      detail: string;
      problems: { path: string; message: string }[];
    };
    expect(problem.code).toBe('bad-request');
    expect(problem.problems[0]?.path).toBe(field);
    expect(problem.problems[0]?.message).toMatch(message);
    expect(problem.detail).toContain(field);
    expect({ alarms: alarms.list(), outage: alarms.inOutage }).toEqual(before);
  });

  it.each([
    ['POST', '/local/alarms', 405, 'GET'],
    ['GET', '/local/monitoring', 405, 'PUT'],
    ['DELETE', '/local/alarms/a', 405, 'PUT'],
    ['GET', '/local/nothing', 404, undefined],
    ['PUT', '/local/alarms/a/b', 404, undefined],
  ])('%s %s → %i', async (method, path, status, allow) => {
    const response = await fetch(`${local.url}${path}`, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('allow') ?? undefined).toBe(allow);
  });

  it('decodes the alarm name from the path', async () => {
    const response = await put(
      `/local/alarms/${encodeURIComponent('eu west/5xx')}`,
      '{"state":"INSUFFICIENT_DATA"}',
    );
    expect(await response.json()).toEqual({ name: 'eu west/5xx', state: 'INSUFFICIENT_DATA' });
  });

  it('leaves /local/ to the route table on a server without alarms', async () => {
    const response = await fetch(`${remote.url}/local/alarms`, {
      headers: { 'x-convoy-principal': 'olivia' },
    });
    expect(response.status).toBe(404);
  });
});
