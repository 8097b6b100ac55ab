import { useState } from 'preact/hooks';
import type { AuditTrailReport } from '#app/audit/verify-audit-trail.ts';
import type { AuditEvent } from '#domain/audit/event.ts';
import { get } from '../api.ts';
import { Badge, Loading, ProblemBox, Section, TableHead, when } from '../components.tsx';
import { useReady } from '../ready.ts';
import { useLoad } from '../use-api.ts';

/** The API lists a chain oldest first: the view reads up to this many and shows the newest first. */
const READ_LIMIT = 1000;
const SHOWN = 100;

const newestFirst = (a: AuditEvent, b: AuditEvent): number =>
  b.at.localeCompare(a.at) || b.chain.localeCompare(a.chain) || b.seq - a.seq;

const short = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Hashes and snapshots: their first 12 characters identify them.
  return /^[0-9a-f]{40,}$/.test(text) ? text.slice(0, 12) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** An event's detail as `field: value` pairs, long values shortened. */
const detailText = (detail: unknown): string => {
  if (detail === undefined || detail === null) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return short(detail);
  return Object.entries(detail)
    .map(([field, value]) => `${field}: ${short(value)}`)
    .join(', ');
};

const VerifyPanel = () => {
  const verify = useLoad('audit-verify', () => get<AuditTrailReport>('/audit/verify'));
  if (verify.error) return <ProblemBox error={verify.error} action="Verifying the audit trail" />;
  if (!verify.data) return <Loading what="the verification" />;
  const v = verify.data;
  const checked = v.chains.reduce((sum, c) => sum + c.checked, 0);
  return (
    <div class="verify" data-verify={v.ok ? 'ok' : 'broken'}>
      <p>
        <Badge tone={v.ok ? 'ok' : 'bad'}>{v.ok ? 'verified' : 'broken'}</Badge> {v.chains.length} chains,{' '}
        {checked} events checked; {v.findings.length} findings.{' '}
        <button type="button" onClick={verify.reload}>
          Verify again
        </button>
      </p>
      <p class="checkpoint">
        {v.checkpoint
          ? `Last checkpoint ${when(v.checkpoint.at)} (key ${v.checkpoint.keyId}, signature ${v.checkpoint.signature}); ${v.checkpoint.since.length} chains grew since.`
          : v.checkpointsConfigured
            ? 'No checkpoint taken yet: the trail is verified without one.'
            : 'Checkpoints are not configured in this deployment: the trail is verified without one.'}
      </p>
      {v.findings.length > 0 ? (
        <ul class="findings">
          {v.findings.map((f, i) => (
            <li key={i}>
              <Badge tone="bad">{f.code}</Badge> {f.chain}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      <ul class="chains">
        {v.chains.map((c) => (
          <li key={c.chain}>
            <Badge tone={c.ok ? 'ok' : 'bad'}>{c.ok ? 'ok' : 'broken'}</Badge> {c.chain}: {c.checked}
            {c.firstBad ? ` — first bad #${c.firstBad.seq}: ${c.firstBad.reason}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
};

export const AuditView = ({ environments }: { environments: string[] }) => {
  const [env, setEnv] = useState('');
  const [type, setType] = useState('');
  const [actor, setActor] = useState('');
  const [text, setText] = useState('');
  const events = useLoad(`audit/${env}`, () =>
    get<{ events: AuditEvent[] }>(
      `/audit?limit=${READ_LIMIT}${env ? `&env=${encodeURIComponent(env)}` : ''}`,
    ),
  );
  useReady('audit', events.data !== undefined);
  const all = [...(events.data?.events ?? [])].sort(newestFirst);
  const types = [...new Set(all.map((e) => e.type))].sort();
  const actors = [...new Set(all.map((e) => e.actor))].sort();
  const needle = text.trim().toLowerCase();
  const shown = all.filter(
    (e) =>
      (!type || e.type === type) &&
      (!actor || e.actor === actor) &&
      (!needle || `${e.subject} ${detailText(e.detail)}`.toLowerCase().includes(needle)),
  );
  return (
    <div data-view="audit" data-ready={events.data ? 'true' : undefined}>
      <Section title="Audit trail verification">
        <VerifyPanel />
      </Section>
      <Section title="Newest audit events">
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <label>
            Environment
            <select
              value={env}
              onChange={(e) => {
                setEnv(e.currentTarget.value);
              }}
            >
              <option value="">all chains</option>
              {environments.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Type
            <select
              value={type}
              onChange={(e) => {
                setType(e.currentTarget.value);
              }}
            >
              <option value="">any</option>
              {types.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Actor
            <select
              value={actor}
              onChange={(e) => {
                setActor(e.currentTarget.value);
              }}
            >
              <option value="">anyone</option>
              {actors.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label>
            Subject or detail contains
            <input
              value={text}
              onInput={(e) => {
                setText(e.currentTarget.value);
              }}
            />
          </label>
        </form>
        {events.error ? <ProblemBox error={events.error} action="Loading audit events" /> : null}
        {!events.data ? (
          events.error ? null : (
            <Loading what="audit events" />
          )
        ) : (
          <>
            <p class="count" role="status">
              {shown.length} of {all.length} events match
              {shown.length > SHOWN ? `; the newest ${SHOWN} are shown` : ''}.
            </p>
            <table class="audit">
              <TableHead columns={['When', 'Chain #', 'Type', 'Actor', 'Subject', 'Detail']} />
              <tbody>
                {shown.slice(0, SHOWN).map((e) => (
                  <tr key={`${e.chain}/${e.seq}`} data-type={e.type}>
                    <td class="nowrap">{when(e.at)}</td>
                    <td class="nowrap">
                      {e.chain} #{e.seq}
                    </td>
                    <td>{e.type}</td>
                    <td>{e.actor}</td>
                    <td>{e.subject}</td>
                    <td class="detail">{detailText(e.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Section>
    </div>
  );
};
