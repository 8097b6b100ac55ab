import { createLocalWorkflows } from '/work/main/lib/local/local-workflows.ts';
const published: unknown[] = [];
const store = new Map<string, { status: string; token?: string; expiresAt?: string | null }>();
const { runner } = createLocalWorkflows({
  events: { publish: async (e) => { published.push(...e); } },
  timeScale: 1000,
  functions: {
    'convoy-override-decision': async (p: any) => {
      const o = store.get(p.overrideId)!;
      if (p.action === 'await') { o.token = p.taskToken; return { overrideId: p.overrideId, status: o.status, expiresAt: o.expiresAt ?? null }; }
      if (o.status === 'pending' || o.status === 'approved') o.status = 'expired';
      return { overrideId: p.overrideId, status: o.status, expiresAt: o.expiresAt ?? null };
    },
  },
});
store.set('ovr-1', { status: 'pending' });
const ex = runner.start({ workflow: 'override-approval', name: 'ovr-1', input: { overrideId: 'ovr-1', decisionTimeoutSeconds: 3600 } });
await runner.until(ex.executionId, (e) => e.waitingFor.length === 1);
const o = store.get("ovr-1")!; const first = o.token;
runner.sendTaskSuccess(o.token!, { overrideId: 'ovr-1', status: 'pending', expiresAt: null });
await runner.until(ex.executionId, (e) => e.waitingFor.length === 1 && e.waitingFor[0] !== first);
o.status = 'approved'; o.expiresAt = new Date(Date.now() + 7200_000).toISOString();
runner.sendTaskSuccess(store.get('ovr-1')!.token!, { overrideId: 'ovr-1', status: 'approved', expiresAt: o.expiresAt });
const done = await runner.until(ex.executionId, (e) => e.status !== 'RUNNING');
console.log(done.status, done.error, done.cause, done.history.map((h) => h.state).join(' > '));
console.log(JSON.stringify(published));
store.set('ovr-2', { status: 'pending' });
const ex2 = runner.start({ workflow: 'override-approval', name: 'ovr-2', input: { overrideId: 'ovr-2', decisionTimeoutSeconds: 5 } });
const d2 = await runner.until(ex2.executionId, (e) => e.status !== 'RUNNING');
console.log(d2.status, d2.history.map((h) => h.state).join(' > '), JSON.stringify(d2.output));
await runner.stop();
