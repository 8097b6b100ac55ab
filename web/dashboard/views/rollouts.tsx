import { useState } from 'preact/hooks';
import type { RolloutListItem, RolloutView } from '#api/rollout-view.ts';
import { ApiError, post, seg } from '../api.ts';
import { Badge, Loading, ProblemBox, Section, TableHead, when } from '../components.tsx';
import { useReady } from '../ready.ts';
import { isReleaseManager, navigate, principal } from '../state.ts';
import { useGet } from '../use-api.ts';

/** How often the list and the open rollout are re-read (the rollout with If-None-Match). */
export const POLL_MS = 2000;

const statusTone: Record<string, string> = {
  pending: 'info',
  running: 'info',
  'awaiting-approval': 'warn',
  paused: 'warn',
  'rolling-back': 'bad',
  'rolled-back': 'bad',
  succeeded: 'ok',
  aborted: 'muted',
  failed: 'bad',
  // phases
  deploying: 'info',
  baking: 'info',
  baked: 'ok',
  skipped: 'muted',
};

const alarmTone: Record<string, string> = { OK: 'ok', ALARM: 'bad', INSUFFICIENT_DATA: 'muted' };
const verdictTone: Record<string, string> = { healthy: 'ok', unhealthy: 'bad', unknown: 'muted' };

const terminal = new Set(['rolled-back', 'succeeded', 'aborted', 'failed']);

type Action = 'approve' | 'reject' | 'pause' | 'resume' | 'abort' | 'promote';
const needsReason: readonly Action[] = ['abort', 'reject'];

/** The actions that make sense in a status (the API refuses the others with a 409 anyway). */
const actionsFor = (status: string): Action[] => {
  if (terminal.has(status)) return [];
  if (status === 'awaiting-approval') return ['approve', 'reject', 'abort'];
  if (status === 'paused') return ['resume', 'abort'];
  if (status === 'rolling-back') return [];
  return ['pause', 'promote', 'abort'];
};

const bakeLeft = (until: string | null): string => {
  if (!until) return '';
  const left = Date.parse(until) - Date.now();
  if (left <= 0) return `bake ended ${when(until)}`;
  const minutes = Math.ceil(left / 60_000);
  return `${minutes} min of bake left (until ${when(until)})`;
};

const Actions = ({ rollout, onDone }: { rollout: RolloutView; onDone: () => void }) => {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<{ action: Action; error: ApiError } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const actions = actionsFor(rollout.status);
  if (terminal.has(rollout.status)) return null;
  if (!isReleaseManager.value)
    return (
      <p class="note permission">Only release managers can steer a rollout; you act as {principal.value}.</p>
    );
  const act = async (action: Action): Promise<void> => {
    setError(null);
    setDone(null);
    if (needsReason.includes(action) && !reason.trim()) {
      setError({
        action,
        error: new ApiError({
          status: 400,
          title: 'Reason required',
          detail: `Give a reason to ${action} the rollout.`,
        }),
      });
      return;
    }
    setBusy(action);
    try {
      await post(
        `/rollouts/${seg(rollout.id)}/${action}`,
        reason.trim() ? { reason: reason.trim() } : undefined,
      );
      setDone(`${action}: done`);
      setReason('');
      onDone();
    } catch (caught) {
      setError({
        action,
        error: caught instanceof ApiError ? caught : new ApiError({ status: 500, detail: String(caught) }),
      });
    } finally {
      setBusy(null);
    }
  };
  if (actions.length === 0) return <p class="note">No action is open while it is {rollout.status}.</p>;
  return (
    <div class="actions">
      <label>
        Reason (required to abort or reject)
        <input
          value={reason}
          onInput={(e) => {
            setReason(e.currentTarget.value);
          }}
        />
      </label>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          class={`act ${action}`}
          disabled={busy !== null}
          onClick={() => void act(action)}
        >
          {action[0]?.toUpperCase()}
          {action.slice(1)}
        </button>
      ))}
      {done ? <span role="status">{done}</span> : null}
      {error ? (
        <ProblemBox
          error={error.error}
          action={`${error.action[0]?.toUpperCase()}${error.action.slice(1)}`}
        />
      ) : null}
    </div>
  );
};

const exposed = new Set(['deploying', 'baking', 'awaiting-approval', 'baked']);

const Timeline = ({ id }: { id: string }) => {
  const rollout = useGet<RolloutView>(`/rollouts/${seg(id)}`, POLL_MS);
  useReady('rollout', rollout.data !== undefined);
  if (rollout.error && !rollout.data)
    return <ProblemBox error={rollout.error} action={`Loading rollout ${id}`} />;
  if (!rollout.data) return <Loading what={`rollout ${id}`} />;
  const r = rollout.data;
  const exposure = r.phases.filter((p) => exposed.has(p.status)).flatMap((p) => p.environments);
  const allEnvironments = r.phases.flatMap((p) => p.environments);
  const rollback = r.events.filter(
    (e) => e.type === 'RollbackStarted' || e.type === 'PhaseRolledBack' || e.type === 'RolledBack',
  );
  return (
    <div class="rollout" data-rollout={r.id} data-ready="true">
      <Section title={`Rollout ${r.id}`}>
        {rollout.error ? (
          <ProblemBox error={rollout.error} action="Refreshing (showing the last state)" />
        ) : null}
        <p class="summary">
          <Badge tone={statusTone[r.status] ?? 'info'}>{r.status}</Badge> {r.bundle} with strategy{' '}
          {r.strategy}; started by {r.startedBy ?? '—'} {when(r.startedAt)}
          {r.reason ? ` — ${r.reason}` : ''}
        </p>
        <p class="exposure">
          Exposure: {exposure.length} of {allEnvironments.length} environments
          {exposure.length > 0 ? ` (${exposure.join(', ')})` : ''}
        </p>
        {r.freeze ? (
          <p class="note">
            Held by freeze {r.freeze.windows.join(', ')} since {when(r.freeze.at)} ({r.freeze.policy})
          </p>
        ) : null}
        <Actions rollout={r} onDone={rollout.reload} />
        <h3>Phases</h3>
        <ol class="phases">
          {r.phases.map((p) => (
            <li key={p.name} class={`phase ${p.status}`} data-phase={p.name}>
              <strong>{p.name}</strong> <Badge tone={statusTone[p.status] ?? 'info'}>{p.status}</Badge>{' '}
              <span>{p.environments.join(', ')}</span>
              {p.approval ? <span class="note"> · approval gate</span> : null}
              {p.status === 'baking' ? <span class="bake"> · {bakeLeft(p.bakedUntil)}</span> : null}
              {p.deployedAt ? <span class="who"> · deployed {when(p.deployedAt)}</span> : null}
            </li>
          ))}
        </ol>
        <h3>Health</h3>
        {r.health ? (
          <div class="health">
            <p>
              Last check {when(r.health.at)}:{' '}
              <Badge tone={verdictTone[r.health.verdict] ?? 'muted'}>{r.health.verdict}</Badge>
              {r.health.reason ? ` — ${r.health.reason}` : ''}
              {r.consecutiveUnknown > 0 ? ` (${r.consecutiveUnknown} unknown in a row)` : ''}
            </p>
            <ul class="alarms">
              {r.health.alarms.map((a) => (
                <li key={a.name} data-alarm={a.name}>
                  <Badge tone={alarmTone[a.state] ?? 'muted'}>{a.state}</Badge> {a.name}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p class="note">No health check yet.</p>
        )}
        {rollback.length > 0 ? (
          <>
            <h3>Rollback path</h3>
            <ol class="rollback">
              {rollback.map((e) => (
                <li key={e.seq}>{e.detail}</li>
              ))}
            </ol>
          </>
        ) : null}
        <h3>Timeline ({r.events.length} events)</h3>
        <table class="timeline">
          <TableHead columns={['#', 'When', 'Event', 'Phase', 'Environment', 'Detail']} />
          <tbody>
            {[...r.events].reverse().map((e) => (
              <tr key={e.seq} data-type={e.type}>
                <td>{e.seq}</td>
                <td>{when(e.at)}</td>
                <td>{e.type}</td>
                <td>{e.phase ?? ''}</td>
                <td>{e.environment ?? ''}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
};

export const RolloutsView = ({ id }: { id: string | undefined }) => {
  const list = useGet<{ rollouts: RolloutListItem[] }>('/rollouts', POLL_MS);
  useReady('rollouts', list.data !== undefined);
  return (
    <div data-view="rollouts" data-ready={list.data ? 'true' : undefined} class="split">
      <Section title="Rollouts">
        {list.error ? <ProblemBox error={list.error} action="Loading rollouts" /> : null}
        {!list.data ? (
          list.error ? null : (
            <Loading what="rollouts" />
          )
        ) : list.data.rollouts.length === 0 ? (
          <p class="empty">
            No rollout yet. Start one with `convoy rollout start` (it appears here within 2 s).
          </p>
        ) : (
          <table class="rollouts">
            <TableHead columns={['Rollout', 'Bundle', 'Status', 'Phase', 'Started']} />
            <tbody>
              {list.data.rollouts.map((r) => (
                <tr key={r.id} class={r.id === id ? 'selected' : undefined}>
                  <td>
                    <a
                      href={`#/rollouts/${encodeURIComponent(r.id)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate('rollouts', r.id);
                      }}
                    >
                      {r.id}
                    </a>
                  </td>
                  <td>{r.bundle}</td>
                  <td>
                    <Badge tone={statusTone[r.status] ?? 'info'}>{r.status}</Badge>
                  </td>
                  <td>{r.currentPhase ?? '—'}</td>
                  <td>
                    {r.startedBy ?? '—'} · {when(r.startedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {id ? <Timeline key={id} id={id} /> : null}
    </div>
  );
};
