import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFlagReport } from '#api/formats/flag-report.ts';
import { defaultFlagReportThresholds, flagReport } from '#domain/flags/flag-report.ts';
import { booleanFlag } from '../../support/flags.ts';

/** `convoy flag report` as a user runs it, against a tiny HTTP server answering the report route. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const report = flagReport({
  environment: 'prod',
  at: '2026-12-06T12:00:00.000Z',
  since: '2026-11-06T12:00:00.000Z',
  thresholds: defaultFlagReportThresholds,
  evaluatedAnywhere: [],
  rolloutEnvironments: [],
  flags: [
    {
      key: 'a.flag',
      definition: booleanFlag(),
      requirements: { met: true },
      counts: [{ hour: '2026-12-06T10', variant: 'on', reason: 'STATIC', count: 4 }],
      peers: [],
    },
  ],
});

let api: Server;
let apiUrl = '';
let dir = '';
const urls: string[] = [];

const convoy = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/convoy-cli.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CONVOY_API_URL: apiUrl },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convoy-flag-report-'));
  api = createServer((request, response) => {
    urls.push(request.url ?? '');
    const found = request.url?.startsWith('/environments/prod/flags/report?') === true;
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(found ? report : { code: 'not-found', detail: 'no such environment' }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) =>
    api.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

describe('convoy flag report', () => {
  it('prints the table by default, passing since and thresholds as query options', async () => {
    const run = await convoy(
      'flag',
      'report',
      '--env',
      'prod',
      '--since',
      '2026-11-06',
      '--stale-days',
      '10',
      '--dominant-share',
      '0.99',
      '--unused-days',
      '3',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(formatFlagReport(report, 'table'));
    const query = new URL(urls.at(-1) ?? '', apiUrl).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      format: 'json',
      since: '2026-11-06T00:00:00.000Z',
      staleDays: '10',
      dominantShare: '0.99',
      unusedDays: '3',
    });
  });

  it('writes Markdown to a file, JSON with --format json', async () => {
    const out = join(dir, 'report.md');
    const md = await convoy('flag', 'report', '--env', 'prod', '--format', 'md', '--out', out);
    expect(md.code, md.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(formatFlagReport(report, 'md'));
    const json = await convoy('flag', 'report', '--env', 'prod', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual(report);
  });

  it('fails on an unknown environment', async () => {
    const run = await convoy('flag', 'report', '--env', 'nowhere');
    expect(run.code).not.toBe(0);
  });
});
