import { useState } from 'preact/hooks';
import type { ComplianceReport } from '#domain/compliance/compliance.ts';
import type { Override } from '#domain/overrides/override.ts';
import { ApiError, get, post, seg } from '../api.ts';
import { dayStartOf, isoDate } from '../calendar-time.ts';
import { Badge, Loading, ProblemBox, Section, TableHead, when } from '../components.tsx';
import { principal, rolesOf } from '../state.ts';
import { useGet, useLoad } from '../use-api.ts';

const asApiError = (caught: unknown): ApiError =>
  caught instanceof ApiError ? caught : new ApiError({ status: 500, detail: String(caught) });

/** Why the acting principal may not decide, or null when the API would count their decision. */
const cannotDecide = (o: Override, who: string): string | null => {
  if (o.requester === who) return `You requested it: another approver decides.`;
  if (o.approvals.some((a) => a.by === who)) return 'You approved it: waiting for the other approvals.';
  const routed: readonly string[] = o.approverRoles;
  if (!rolesOf(who).some((role) => routed.includes(role)))
    return `Decided by ${o.approverRoles.join(' or ')} (never the requester): act as one of them.`;
  return null;
};

const Decide = ({ o, onDecided }: { o: Override; onDecided: (text: string) => void }) => {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ action: string; error: ApiError } | null>(null);
  const [busy, setBusy] = useState(false);
  const why = cannotDecide(o, principal.value);
  if (why) return <span class="note permission">{why}</span>;
  const decide = async (verdict: 'approve' | 'reject'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      // The reason is sent as typed: the API says what a rejection needs (problem+json).
      const body = verdict === 'approve' ? undefined : { reason };
      const decided = await post<Override>(`/overrides/${seg(o.id)}/${verdict}`, body);
      onDecided(
        `${o.id} ${verdict === 'approve' ? 'approved' : 'rejected'} by ${principal.value}: now ${decided.status}` +
          (decided.status === 'approved' && decided.expiresAt
            ? `, usable until ${when(decided.expiresAt)}`
            : '') +
          (decided.status === 'pending'
            ? `, ${decided.approvals.length} of ${decided.approvalsRequired} approvals`
            : '') +
          '.',
      );
    } catch (caught) {
      setError({
        action: verdict === 'approve' ? `Approving ${o.id}` : `Rejecting ${o.id}`,
        error: asApiError(caught),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="decide">
      <div class="actions">
        <button type="button" class="act approve" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <label>
          Reason to reject
          <input
            value={reason}
            onInput={(e) => {
              setReason(e.currentTarget.value);
            }}
          />
        </label>
        <button type="button" class="act reject" disabled={busy} onClick={() => void decide('reject')}>
          Reject
        </button>
      </div>
      {error ? <ProblemBox error={error.error} action={error.action} /> : null}
    </div>
  );
};

/** Pending override requests, polled, with approve and reject for the principals the API would count. */
export const PendingOverrides = () => {
  const pending = useGet<{ overrides: Override[] }>('/overrides?status=pending', 5000);
  const [done, setDone] = useState('');
  const list = pending.data?.overrides ?? [];
  return (
    <Section title="Pending overrides">
      {done ? (
        <p class="done" role="status">
          {done}
        </p>
      ) : null}
      {pending.error ? <ProblemBox error={pending.error} action="Loading the overrides" /> : null}
      {!pending.data ? (
        pending.error ? null : (
          <Loading what="the overrides" />
        )
      ) : list.length === 0 ? (
        <p class="note">No override is waiting for a decision.</p>
      ) : (
        <table class="overrides">
          <TableHead
            columns={[
              'Override',
              'Environment',
              'Lets through',
              'Freeze',
              'Requested',
              'Reason',
              'Approvals',
              'Decide',
            ]}
          />
          <tbody>
            {list.map((o) => (
              <tr key={o.id} data-override={o.id}>
                <td class="nowrap">{o.id}</td>
                <td>{o.environment}</td>
                <td>{o.bundle ?? o.changeKinds?.join(', ')}</td>
                <td>
                  <Badge tone={o.level === 'hard' ? 'bad' : 'warn'}>{o.level}</Badge>
                </td>
                <td>
                  by {o.requester} · {when(o.requestedAt)}; decide by {when(o.decideBy)}
                </td>
                <td>
                  {o.reason} <span class="team">({o.ticket})</span>
                </td>
                <td>
                  {o.approvals.length} of {o.approvalsRequired}
                  {o.approvals.length > 0 ? ` (${o.approvals.map((a) => a.by).join(', ')})` : ''}
                  <div class="team">by {o.approverRoles.join(' or ')}</div>
                </td>
                <td>
                  <Decide
                    o={o}
                    onDecided={(text) => {
                      setDone(text);
                      pending.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
};

const DAY_MS = 86_400_000;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The compliance report for a period of whole days in the viewer's zone (`to` inclusive). */
export const CompliancePanel = ({ now, zone }: { now: number; zone: string }) => {
  const [from, setFrom] = useState(isoDate(now - 7 * DAY_MS, zone));
  const [to, setTo] = useState(isoDate(now, zone));
  // The period asked for (the inputs change it only when the form is sent).
  const [asked, setPeriod] = useState({ from, to });
  const start = dayStartOf(asked.from, zone);
  const end = dayStartOf(asked.to, zone, 1);
  const query =
    start === null || end === null
      ? null
      : `/reports/freeze-compliance?from=${new Date(start).toISOString()}&to=${new Date(end).toISOString()}`;
  const report = useLoad(query, () => get<ComplianceReport>(query ?? '/'));
  const r = report.data;
  return (
    <Section title="Freeze compliance report">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod({ from, to });
          report.reload();
        }}
      >
        <label>
          From
          <input
            type="date"
            value={from}
            onInput={(e) => {
              setFrom(e.currentTarget.value);
            }}
          />
        </label>
        <label>
          To (inclusive)
          <input
            type="date"
            value={to}
            onInput={(e) => {
              setTo(e.currentTarget.value);
            }}
          />
        </label>
        <button type="submit">Show report</button>
        <span class="note">Whole days in {zone}.</span>
      </form>
      {query === null ? <p class="note">Choose both dates.</p> : null}
      {report.error ? <ProblemBox error={report.error} action="Loading the compliance report" /> : null}
      {!r ? (
        report.error || query === null ? null : (
          <Loading what="the compliance report" />
        )
      ) : (
        <>
          <p class="count" role="status">
            {plural(r.changes.length, 'change')} while a freeze applied, {r.unexplained} unexplained;{' '}
            {plural(r.rejected.length, 'refused attempt')} ({when(r.period.from)} to {when(r.period.to)}).
          </p>
          <table class="compliance">
            <caption>Changes made while a freeze window applied, and what allowed them</caption>
            <TableHead
              columns={['When', 'Environment', 'Change', 'By', 'Windows', 'Override', 'Explained']}
            />
            <tbody>
              {r.changes.map((c, i) => (
                <tr key={`${c.at}/${i}`} data-override={c.override?.id}>
                  <td class="nowrap">{when(c.at)}</td>
                  <td>{c.environment}</td>
                  <td>
                    {c.kind}
                    {c.bundle ? ` ${c.bundle}` : ''}
                  </td>
                  <td>{c.principal}</td>
                  <td>{c.windows.map((w) => `${w.name} (${w.level})`).join(', ')}</td>
                  <td>
                    {c.override
                      ? `${c.override.id}: requested by ${c.override.requester}, approved by ${c.override.approvers.join(', ')}; ${c.override.ticket}`
                      : (c.overrideId ?? '—')}
                  </td>
                  <td>
                    <Badge tone={c.explained ? 'ok' : 'bad'}>
                      {c.explained ? 'explained' : 'unexplained'}
                    </Badge>{' '}
                    {c.explanation}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.rejected.length > 0 ? (
            <table class="compliance-rejected">
              <caption>Changes refused by a freeze</caption>
              <TableHead columns={['When', 'Environment', 'Change', 'By', 'Windows', 'Reason']} />
              <tbody>
                {r.rejected.map((x, i) => (
                  <tr key={`${x.at}/${i}`}>
                    <td class="nowrap">{when(x.at)}</td>
                    <td>{x.environment}</td>
                    <td>{x.kind}</td>
                    <td>{x.principal}</td>
                    <td>{x.windows.join(', ')}</td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </Section>
  );
};
