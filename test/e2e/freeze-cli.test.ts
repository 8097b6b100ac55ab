import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChangeKind } from '#domain/freeze/change-kind.ts';
import { freezeStatus } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { cliEnv, convoy, killIfAlive, startConvoy, type RunningConvoy } from './support/convoy-process.ts';

/**
 * Freeze windows and emergency overrides end to end: `convoy up` on the run's DynamoDB Local, driven
 * only through the CLI. The windows start "now" by the runtime's clock, which the harness pins (E2E_CLOCK),
 * so every refusal below is the same whatever today's date.
 */
describe('convoy freeze, override and report against convoy up', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `e2e-freeze-${randomUUID().slice(0, 8)}`;
  let dataDir: string;
  let tmp: string;
  let running: RunningConvoy | undefined;
  let api: string;
  let startedAt: string;
  /** "Now" for the Convoy under test: its clock starts at the harness's pinned instant. */
  const now = (): number => (running as RunningConvoy).now();

  const as = (principal: string, ...args: string[]) =>
    convoy([...args, '--json', '--api', api, '--as', principal]);
  const human = (principal: string, ...args: string[]) => convoy([...args, '--api', api, '--as', principal]);
  const olivia = (...args: string[]) => as('olivia', ...args);
  const priya = (...args: string[]) => as('priya', ...args);

  const windows = async (): Promise<FreezeWindow[]> => {
    const listed = await olivia('freeze', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    return listed.json.windows as FreezeWindow[];
  };

  /**
   * The detail-types the override's approval workflow (override-approval.asl.json) put on the local
   * Convoy bus for it, once `wanted` is among them (the workflow runs asynchronously: bounded wait).
   */
  const notified = async (id: string, wanted: string): Promise<string[]> => {
    let types: string[] = [];
    for (let attempt = 0; attempt < 100 && !types.includes(wanted); attempt += 1) {
      if (attempt > 0) await sleep(100);
      const text = await readFile(join(dataDir, 'events.jsonl'), 'utf8').catch(() => '');
      types = text
        .split('\n')
        .filter((line) => line.includes(id))
        .map((line) => (JSON.parse(line) as { detailType: string }).detailType);
    }
    return types;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'convoy-e2e-freeze-'));
    tmp = await mkdtemp(join(tmpdir(), 'convoy-e2e-freeze-files-'));
    const port = await freePort();
    running = await startConvoy(
      ['--in-memory', '--no-demo', '--port', String(port), '--data-dir', dataDir],
      cliEnv({ CONVOY_DYNAMODB_ENDPOINT: endpoint, CONVOY_TABLE_NAME: table }),
    );
    api = running.ready.url;
    startedAt = new Date(now() - 60_000).toISOString();

    // Before any window: the catalog, prod-eu's services, and the dependency of the bundle shipped later.
    const steps = [
      ['catalog', 'apply', 'examples/catalog.yaml'],
      ['service', 'report', 'checkout-api', '2.3.1', '--env', 'prod-eu'],
      ['service', 'report', 'session-api', '5.1.4', '--env', 'prod-eu'],
      ['bundle', 'push', 'examples/bundles/identity-session.yaml'],
      ['bundle', 'push', 'examples/bundles/checkout-timeouts.yaml'],
      ['bundle', 'push', 'examples/bundles/fraud-rules.yaml'],
      ['deploy', 'identity-session@2', '--env', 'prod-eu'],
    ];
    for (const step of steps) {
      const result = await olivia(...step);
      expect(result.code, `${step.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    if (running) {
      await running.stop('SIGTERM');
      killIfAlive(running.pid);
    }
    await rm(dataDir, { recursive: true, force: true });
    await rm(tmp, { recursive: true, force: true });
  });

  it('adds windows from the demo calendar and from flags; only release managers may', async () => {
    const file = await olivia('freeze', 'add', 'examples/freezes.yaml');
    expect(file.code, file.stderr).toBe(0);
    expect(file.json.windows).toEqual([
      expect.objectContaining({ id: 'year-end-freeze', created: true }),
      expect.objectContaining({ id: 'weekend-freeze', created: true }),
    ]);

    const flags = await olivia(
      'freeze',
      'add',
      '--name',
      'Incident freeze',
      '--env',
      'prod-eu',
      '--start',
      'now',
      '--duration',
      'PT6H',
      '--allow',
      'flag-kill-switch',
    );
    expect(flags.code, flags.stderr).toBe(0);
    expect(flags.json.windows).toEqual([expect.objectContaining({ id: 'incident-freeze', created: true })]);
    // "now" is the next whole second: wait for it, so everything below happens inside the window.
    const incident = (await windows()).find((w) => w.id === 'incident-freeze');
    const start = Date.parse((incident?.schedule as { start: string }).start);
    await sleep(Math.max(0, start - now() + 50));

    const forbidden = await priya('freeze', 'add', '--name', 'Mine', '--start', 'now', '--duration', 'PT1H');
    expect(forbidden.code).toBe(1);
    expect(forbidden.json.error).toMatchObject({ status: 403 });

    const invalid = await olivia(
      'freeze',
      'add',
      '--name',
      'Bad',
      '--rrule',
      'FREQ=WEEKLY;BYDAY=XX',
      '--duration',
      'P1D',
      '--timezone',
      'Mars/Base',
    );
    expect(invalid.code).toBe(1);
    expect((invalid.json.error.problems as { path: string }[]).map((p) => p.path)).toEqual(
      expect.arrayContaining(['schedule.rrule', 'schedule.timezone']),
    );

    expect((await windows()).map((w) => w.id).sort()).toEqual([
      'incident-freeze',
      'weekend-freeze',
      'year-end-freeze',
    ]);
    const listed = await human('vera', 'freeze', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/incident-freeze\s+hard\s+env prod-eu/);
    expect(listed.stdout).toMatch(
      /weekend-freeze\s+soft\s+env prod-\*\s+FREQ=WEEKLY;BYDAY=FR;BYHOUR=18;BYMINUTE=0 for P2DT12H \(Europe\/Berlin\)/,
    );
  });

  it('answers freeze status with exactly the freezeStatus shape', async () => {
    const at = new Date(now()).toISOString();
    const all = await windows();
    const queries: { kind?: ChangeKind; namespace?: string }[] = [
      { kind: 'deploy' },
      { kind: 'flag-kill-switch' },
      { namespace: 'payments' },
      {},
    ];
    for (const { kind, namespace } of queries) {
      const args = ['freeze', 'status', '--env', 'prod-eu', '--at', at];
      if (kind !== undefined) args.push('--kind', kind);
      if (namespace !== undefined) args.push('--namespace', namespace);
      const status = await as('vera', ...args);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json).toEqual(
        freezeStatus(
          all,
          {
            environment: 'prod-eu',
            ...(kind === undefined ? {} : { kind }),
            ...(namespace === undefined ? {} : { namespaces: [namespace] }),
          },
          at,
        ),
      );
    }
    const deploy = await as('vera', 'freeze', 'status', '--env', 'prod-eu', '--kind', 'deploy', '--at', at);
    expect(deploy.json).toMatchObject({ frozen: true, level: 'hard' });
    expect((deploy.json.windows as { id: string }[]).map((w) => w.id)).toContain('incident-freeze');
    expect(Object.keys(deploy.json as object).sort()).toEqual([
      'allowedKinds',
      'frozen',
      'level',
      'nextChange',
      'windows',
    ]);

    const text = await human('vera', 'freeze', 'status', '--env', 'prod-eu', '--kind', 'deploy');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/FROZEN \(hard\)/);
    expect(text.stdout).toMatch(/incident-freeze\s+hard/);

    const staging = await as('vera', 'freeze', 'status', '--env', 'staging', '--kind', 'deploy');
    expect(staging.json).toMatchObject({ frozen: false, level: null, windows: [] });
  });

  it('refuses a deploy during the freeze: 423 → exit 1, naming the window and how to override', async () => {
    const refused = await olivia('deploy', 'checkout-timeouts@3', '--env', 'prod-eu');
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ status: 423, code: 'frozen', level: 'hard' });
    expect((refused.json.error.windows as { id: string }[]).map((w) => w.id)).toContain('incident-freeze');
    expect(refused.json.error.howToOverride).toMatch(/convoy override request/);

    const text = await human('olivia', 'deploy', 'checkout-timeouts@3', '--env', 'prod-eu');
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/window\s+incident-freeze\s+"Incident freeze"\s+hard/);
    expect(text.stderr).toMatch(/level\s+hard/);
    expect(text.stderr).toMatch(/hint.*\n.*convoy override request --env prod-eu/);
  });

  let overrideId: string;

  it('routes an override request; the requester and unrouted principals cannot approve', async () => {
    const requested = await priya(
      'override',
      'request',
      '--env',
      'prod-eu',
      '--bundle',
      'checkout-timeouts@3',
      '--reason',
      'Gateway timeouts are failing 4% of checkouts',
      '--ticket',
      'INC-4711',
    );
    expect(requested.code, requested.stderr).toBe(0);
    expect(requested.json).toMatchObject({
      id: expect.stringMatching(/^ovr-/),
      status: 'pending',
      environment: 'prod-eu',
      bundle: 'checkout-timeouts@3',
      requester: 'priya',
      level: 'hard',
      approvalsRequired: 2,
      approverRoles: expect.arrayContaining(['team:payments', 'release-manager']),
    });
    overrideId = requested.json.id as string;
    // The approval workflow runs in the embedded Step Functions engine and notifies the approvers.
    expect(await notified(overrideId, 'OverrideRequested')).toContain('OverrideRequested');

    const self = await priya('override', 'approve', overrideId);
    expect(self.code).toBe(1);
    expect(self.json.error).toMatchObject({ status: 403 });

    const viewer = await as('vera', 'override', 'approve', overrideId);
    expect(viewer.code).toBe(1);
    expect(viewer.json.error).toMatchObject({ status: 403 });

    const first = await olivia('override', 'approve', overrideId, '--comment', 'checked the graphs');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({
      status: 'pending',
      approvals: [expect.objectContaining({ by: 'olivia' })],
    });

    const twice = await olivia('override', 'approve', overrideId);
    // A refusal no retry changes (override.already-approved): rejected, not retry.
    expect(twice.code).toBe(1);
    expect(twice.json.error).toMatchObject({ status: 409 });

    const second = await human('paul', 'override', 'approve', overrideId);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`override ${overrideId} approved: valid until`));
    expect(second.stdout).toMatch(
      new RegExp(`convoy deploy checkout-timeouts@3 --env prod-eu --override ${overrideId}`),
    );

    expect(await notified(overrideId, 'OverrideApproved')).toEqual(
      expect.arrayContaining(['OverrideRequested', 'OverrideApproved']),
    );

    const shown = await as('vera', 'override', 'show', overrideId);
    expect(shown.json).toMatchObject({
      status: 'approved',
      approvals: [expect.objectContaining({ by: 'olivia' }), expect.objectContaining({ by: 'paul' })],
      expiresAt: expect.any(String),
    });
  });

  it('deploys through the approved override once; reuse and other scopes are refused', async () => {
    // Deploying is a release manager's job; the override priya obtained lets it through the freeze.
    const wrongBundle = await olivia('deploy', 'fraud-rules@7', '--env', 'prod-eu', '--override', overrideId);
    expect(wrongBundle.code).toBe(1);

    const deployed = await olivia(
      'deploy',
      'checkout-timeouts@3',
      '--env',
      'prod-eu',
      '--override',
      overrideId,
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.json).toMatchObject({ environment: 'prod-eu', deploymentId: expect.any(String) });

    const used = await olivia('override', 'show', overrideId);
    expect(used.json).toMatchObject({
      status: 'used',
      uses: [expect.objectContaining({ at: expect.any(String) })],
    });

    // Rollback stays permitted during the freeze; redeploying needs a new override.
    const rolledBack = await olivia('rollback', '--env', 'prod-eu');
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    const reused = await olivia(
      'deploy',
      'checkout-timeouts@3',
      '--env',
      'prod-eu',
      '--override',
      overrideId,
    );
    expect(reused.code).toBe(1);
    expect(reused.stderr).toMatch(/used|single-use/);
  });

  it('ends a request with a rejection', async () => {
    const requested = await priya(
      'override',
      'request',
      '--env',
      'prod-eu',
      '--bundle',
      'fraud-rules@7',
      '--reason',
      'Another emergency that turned out not to be one',
      '--ticket',
      'INC-4712',
    );
    expect(requested.code, requested.stderr).toBe(0);
    const id = requested.json.id as string;
    const rejected = await olivia('override', 'reject', id, '--reason', 'can wait until Monday');
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.json).toMatchObject({
      status: 'rejected',
      rejection: expect.objectContaining({ by: 'olivia' }),
    });
    const late = await as('paul', 'override', 'approve', id);
    expect(late.code).toBe(1);

    const list = await olivia('override', 'list', '--status', 'rejected');
    expect(list.code).toBe(0);
    expect((list.json.overrides as { id: string }[]).map((o) => o.id)).toEqual([id]);
    const all = await human('olivia', 'override', 'list', '--env', 'prod-eu');
    expect(all.stdout).toMatch(
      new RegExp(
        `${overrideId}\\s+used\\s+prod-eu\\s+checkout-timeouts@3\\s+priya\\s+2 of 2 \\(olivia, paul\\)`,
      ),
    );
  });

  it('reports the change with its override and approvers, the refusals, and no unexplained change', async () => {
    const md = await human('olivia', 'report', 'freeze', '--from', startedAt, '--format', 'md');
    expect(md.code, md.stdout + md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Freeze compliance report/);
    expect(md.stdout).toMatch(/No unexplained changes\./);
    const row = md.stdout
      .split('\n')
      .find((line) => line.includes('checkout-timeouts@3') && line.includes(overrideId));
    expect(row).toBeDefined();
    expect(row).toMatch(/olivia, paul/);
    expect(row).toMatch(/INC-4711/);
    expect(row).toMatch(/Gateway timeouts are failing 4% of checkouts/);
    expect(md.stdout).toMatch(/## Rejected attempts \([1-9]\d*\)/);

    const json = await olivia('report', 'freeze', '--from', startedAt);
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ unexplained: 0 });
    const kinds = (json.json.changes as { kind: string; override?: { id: string } }[]).map((c) => [
      c.kind,
      c.override?.id,
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['deploy', overrideId],
        ['rollback', undefined],
      ]),
    );
    expect((json.json.rejected as { principal: string }[]).some((r) => r.principal === 'olivia')).toBe(true);

    const csv = await human('olivia', 'report', 'freeze', '--from', startedAt, '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^record,at,environment,kind/);
  });

  it('exports an iCalendar that imports back to the same calendar', async () => {
    const before = await windows();
    const file = join(tmp, 'freezes.ics');
    const exported = await olivia('freeze', 'export', '--out', file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json).toEqual({ file, windows: before.length });
    const ics = await readFile(file, 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toMatch(/\r\nEND:VCALENDAR\r\n$/);
    expect(ics.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(before.length);
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=18;BYMINUTE=0/);

    const stdout = await human('vera', 'freeze', 'export');
    expect(stdout.stdout).toMatch(/^BEGIN:VCALENDAR/);

    for (const window of before) {
      const removed = await olivia('freeze', 'remove', window.id);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.json).toEqual({ id: window.id, removed: true });
    }
    expect(await windows()).toEqual([]);
    const missing = await olivia('freeze', 'remove', 'incident-freeze');
    expect(missing.code).toBe(1);
    expect(missing.json.error).toMatchObject({ status: 404 });

    const imported = await olivia('freeze', 'import', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json.problems).toEqual([]);
    expect((imported.json.windows as { id: string; created: boolean }[]).map((w) => w.id).sort()).toEqual(
      before.map((w) => w.id).sort(),
    );

    // Round trip: the imported calendar exports to the same events (DTSTAMP aside), and freezes alike.
    const again = await olivia('freeze', 'export', '--out', join(tmp, 'again.ics'));
    expect(again.code).toBe(0);
    const stamp = (text: string) => text.replace(/^DTSTAMP:.*\r\n/gm, '');
    expect(stamp(await readFile(join(tmp, 'again.ics'), 'utf8'))).toBe(stamp(ics));
    const after = await windows();
    const at = new Date(now()).toISOString();
    for (const kind of ['deploy', 'rollback', 'flag-kill-switch'] as const) {
      for (const environment of ['prod-eu', 'prod-us', 'staging']) {
        expect(freezeStatus(after, { environment, kind }, at)).toEqual(
          freezeStatus(before, { environment, kind }, at),
        );
      }
    }
  });
});
