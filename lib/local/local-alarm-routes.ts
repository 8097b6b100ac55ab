import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseDocument } from '#domain/core/document.ts';
import type { Problem } from '#domain/core/problem.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { alarmStates } from '#domain/rollout/events.ts';
import { writeProblem } from './http-problem.ts';
import type { LocalAlarms } from './local-alarms.ts';
import { readBody } from './read-body.ts';

/** Routes only the embedded server has (API Gateway on AWS does not: CloudWatch owns the alarms). */
export const LOCAL_PREFIX = '/local/';

const alarmBodySchema = z.strictObject({ state: z.enum(alarmStates) });
const monitoringBodySchema = z.strictObject({ unavailable: z.boolean() });
const alarmNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/** Alarm bodies are tiny; anything larger is refused before it is read. */
const MAX_LOCAL_BODY = 16 * 1024;

type LocalAnswer =
  | { status: 200; body: unknown }
  | { problem: 'bad-request'; problems: Problem[] }
  | { problem: 'not-found' }
  | { problem: 'method-not-allowed'; allow: string };

const write = (res: ServerResponse, answer: LocalAnswer, method: string, path: string): void => {
  if ('status' in answer) {
    const text = JSON.stringify(answer.body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  switch (answer.problem) {
    case 'bad-request': {
      const detail = answer.problems.map((p) => `${p.path ?? 'body'} ${p.message}`).join('; ');
      writeProblem(res, 'bad-request', detail, { instance: path, extra: { problems: answer.problems } });
      return;
    }
    case 'method-not-allowed':
      writeProblem(res, 'method-not-allowed', `${path} supports ${answer.allow}, not ${method}.`, {
        instance: path,
        headers: { allow: answer.allow },
      });
      return;
    default:
      writeProblem(res, 'not-found', `No route for ${method} ${path}.`, { instance: path });
  }
};

const atPath = (problems: Problem[], path: (p: Problem) => string): Problem[] =>
  problems.map((p) => ({ ...p, path: path(p) }));

/** The body, parsed as JSON and checked against `schema`; its problems name `body.<field>`. */
const parseBody = async <S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
): Promise<{ ok: true; value: z.output<S> } | { ok: false; problems: Problem[] }> => {
  const body = await readBody(req, MAX_LOCAL_BODY);
  if (!body.ok)
    return {
      ok: false,
      problems: [
        { code: 'body.too-large', path: 'body', message: `must be at most ${MAX_LOCAL_BODY} bytes` },
      ],
    };
  if (body.base64)
    return {
      ok: false,
      problems: [
        {
          code: 'body.encoding',
          path: 'body',
          message: 'must be UTF-8 text; it holds bytes that are not UTF-8',
        },
      ],
    };
  if (body.text.trim() === '')
    return { ok: false, problems: [{ code: 'body.required', path: 'body', message: 'a body is required' }] };
  const document = parseDocument(body.text, 'json');
  const parsed = document.ok ? parseWith(schema, document.value) : document;
  if (parsed.ok) return parsed;
  return { ok: false, problems: atPath(parsed.problems, (p) => (p.path ? `body.${p.path}` : 'body')) };
};

const answerFor = async (
  alarms: LocalAlarms,
  req: IncomingMessage,
  method: string,
  rawPath: string,
): Promise<LocalAnswer> => {
  if (rawPath === '/local/alarms') {
    if (method !== 'GET') return { problem: 'method-not-allowed', allow: 'GET' };
    return { status: 200, body: { alarms: alarms.list(), outage: alarms.inOutage } };
  }
  if (rawPath === '/local/monitoring') {
    if (method !== 'PUT') return { problem: 'method-not-allowed', allow: 'PUT' };
    const body = await parseBody(req, monitoringBodySchema);
    if (!body.ok) return { problem: 'bad-request', problems: body.problems };
    alarms.outage(body.value.unavailable);
    return { status: 200, body: { unavailable: alarms.inOutage } };
  }
  const named = /^\/local\/alarms\/([^/]+)$/.exec(rawPath)?.[1];
  if (named === undefined) return { problem: 'not-found' };
  if (method !== 'PUT') return { problem: 'method-not-allowed', allow: 'PUT' };
  const name = parseWith(alarmNameSchema, decodeURIComponent(named));
  if (!name.ok) return { problem: 'bad-request', problems: atPath(name.problems, () => 'path.name') };
  const body = await parseBody(req, alarmBodySchema);
  if (!body.ok) return { problem: 'bad-request', problems: body.problems };
  alarms.set(name.value, body.value.state);
  return { status: 200, body: { name: name.value, state: body.value.state } };
};

/**
 * `GET /local/alarms` → `{ alarms: [{ name, state }], outage }`; `PUT /local/alarms/{name}`
 * `{ state }`; `PUT /local/monitoring` `{ unavailable }` (DescribeAlarms fails while true). Bodies are
 * validated like the API's: a 400 problem names the field and the allowed values. Other `/local/`
 * paths are 404.
 */
export const serveLocalAlarms = async (
  alarms: LocalAlarms,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  rawPath: string,
): Promise<void> => {
  write(res, await answerFor(alarms, req, method, rawPath), method, rawPath);
};
