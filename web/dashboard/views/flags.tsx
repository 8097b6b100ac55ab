import { useState } from 'preact/hooks';
import type { FlagFinding, FlagReport, FlagReportEntry } from '#domain/flags/flag-report.ts';
import { ApiError, get, post, seg } from '../api.ts';
import { Badge, Loading, ProblemBox, Section, TableHead, when } from '../components.tsx';
import { useReady } from '../ready.ts';
import { isReleaseManager, principal } from '../state.ts';
import { useLoad } from '../use-api.ts';

interface SplitEntry {
  variant: string;
  weight: number;
}
interface FlagDefinitionView {
  defaultVariant: string;
  offVariant: string;
  enabled: boolean;
  killed: boolean;
  rules: { variant?: string; rollout?: { split: SplitEntry[]; buckets?: number }; segments?: string[] }[];
}
interface FlagsAnswer {
  flags: Record<string, FlagDefinitionView>;
}

const stateTone = { enabled: 'ok', disabled: 'muted', killed: 'bad' } as const;

/** The split a flag serves, in words: its percentage rollouts, targeted variants and default. */
const splitOf = (flag: FlagDefinitionView | undefined): string => {
  if (!flag) return '—';
  const parts = flag.rules.map((rule) => {
    if (rule.rollout) {
      const total = rule.rollout.buckets ?? rule.rollout.split.reduce((sum, s) => sum + s.weight, 0);
      return rule.rollout.split
        .map((s) => `${s.variant} ${Math.round((s.weight / (total || 1)) * 1000) / 10}%`)
        .join(' / ');
    }
    const who =
      rule.segments && rule.segments.length > 0 ? ` for ${rule.segments.join(', ')}` : ' when targeted';
    return `${rule.variant ?? '?'}${who}`;
  });
  return [...parts, `default ${flag.defaultVariant}`].join('; ');
};

const findingText = (finding: FlagFinding): string => {
  switch (finding.kind) {
    case 'stale':
      return finding.reason === 'unused'
        ? `stale: unused for ${finding.unusedDays} days`
        : `stale: ${finding.variant} served ${Math.round(finding.share * 1000) / 10}%`;
    case 'inert':
      return `inert: needs ${finding.unmet.map((u) => `${u.service} ${u.range}`).join(', ')}`;
    case 'orphaned':
      return 'orphaned: no service evaluates it';
    case 'drift':
      return `drift: differs in ${finding.environments.join(', ')}`;
  }
};

const KillConfirm = ({
  env,
  flag,
  killed,
  onClose,
  onDone,
}: {
  env: string;
  flag: string;
  killed: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) => {
  const action = killed ? 'unkill' : 'kill';
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    if (!reason.trim()) {
      setError(
        new ApiError({
          status: 400,
          title: 'Reason required',
          detail: `Say why you ${action} ${flag} in ${env}.`,
        }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post(`/environments/${seg(env)}/flags/${seg(flag)}/${action}`, { reason: reason.trim() });
      onDone(`${flag} ${killed ? 'restored' : 'killed'} in ${env}.`);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError({ status: 500, detail: String(caught) }));
    } finally {
      setBusy(false);
    }
  };
  const title = killed ? `Restore ${flag} in ${env}?` : `Kill ${flag} in ${env}?`;
  return (
    <div class="confirm" role="dialog" aria-label={title}>
      <h3>{title}</h3>
      <p>
        {killed
          ? `Every evaluation in ${env} goes back to the flag's rules.`
          : `Every evaluation of ${flag} in ${env} will serve its off variant at once. Other environments are not touched.`}
      </p>
      <label>
        Reason (audited)
        <input
          value={reason}
          autoFocus
          onInput={(e) => {
            setReason(e.currentTarget.value);
          }}
        />
      </label>
      <div class="buttons">
        <button
          type="button"
          class={killed ? 'act' : 'act danger'}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {killed ? `Restore in ${env}` : `Kill in ${env}`}
        </button>
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
      {error ? (
        <ProblemBox error={error} action={killed ? 'Restoring the flag' : 'Killing the flag'} />
      ) : null}
    </div>
  );
};

const FlagRow = ({
  flag,
  definition,
  onKill,
}: {
  flag: FlagReportEntry;
  definition: FlagDefinitionView | undefined;
  onKill: () => void;
}) => (
  <tr data-flag={flag.key} data-state={flag.state}>
    <th scope="row">
      <code>{flag.key}</code>
    </th>
    <td>
      <Badge tone={stateTone[flag.state]}>{flag.state}</Badge>
    </td>
    <td>{splitOf(definition)}</td>
    <td>
      {flag.requirements.met ? (
        <Badge tone="ok">met</Badge>
      ) : (
        <Badge tone="bad">
          unmet:{' '}
          {flag.requirements.unmet
            .map((u) => `${u.service} ${u.range} (runs ${u.running ?? 'none'})`)
            .join(', ')}
        </Badge>
      )}
    </td>
    <td class="num">
      {flag.evaluations.toLocaleString('en')}
      {flag.variants.length > 0 ? (
        <ul class="variants">
          {flag.variants.map((v) => (
            <li key={v.variant}>
              {v.variant}: {v.count.toLocaleString('en')} ({Math.round(v.share * 1000) / 10}%)
            </li>
          ))}
        </ul>
      ) : null}
    </td>
    <td>
      {flag.findings.length === 0 ? <span class="absent">none</span> : null}
      {flag.findings.map((f, i) => (
        <Badge key={i} tone="warn">
          {findingText(f)}
        </Badge>
      ))}
    </td>
    <td class="who">
      {flag.lastChange
        ? `${flag.lastChange.bundle ?? 'kill switch'} · ${flag.lastChange.principal} · ${when(flag.lastChange.at)}`
        : '—'}
    </td>
    <td>
      <button type="button" class={flag.state === 'killed' ? 'act' : 'act danger'} onClick={onKill}>
        {flag.state === 'killed' ? 'Restore' : 'Kill'}
        <span class="sr-only"> {flag.key}</span>
      </button>
    </td>
  </tr>
);

export const FlagsView = ({ environments, env }: { environments: string[]; env: string }) => {
  const data = useLoad(`flags/${env}`, async () => {
    const [report, flags] = await Promise.all([
      get<FlagReport>(`/environments/${seg(env)}/flags/report`),
      get<FlagsAnswer>(`/environments/${seg(env)}/flags`),
    ]);
    return { report, flags };
  });
  const [confirming, setConfirming] = useState<{ key: string; killed: boolean } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useReady('flags', data.data !== undefined);
  const tabs = (
    <nav class="tabs" aria-label="Environments">
      {environments.map((e) => (
        <a key={e} href={`#/flags/${encodeURIComponent(e)}`} aria-current={e === env ? 'page' : undefined}>
          {e}
        </a>
      ))}
    </nav>
  );
  if (data.error && !data.data)
    return (
      <div data-view="flags">
        {tabs}
        <ProblemBox error={data.error} action={`Loading the flags of ${env}`} />
      </div>
    );
  if (!data.data) return <Loading what={`the flags of ${env}`} />;
  const { report, flags } = data.data;
  const { summary } = report;
  return (
    <div data-view="flags" data-ready="true">
      {tabs}
      <Section title={`Flags in ${env}`}>
        <p class="summary">
          {summary.flags} flags · {summary.stale} stale · {summary.inert} inert · {summary.orphaned} orphaned
          · {summary.drift} drift; evaluations since {when(report.since)}
        </p>
        {!isReleaseManager.value ? (
          <p class="note">
            You act as {principal.value}: the API decides whether you may use the kill switch in {env}.
          </p>
        ) : null}
        {message ? (
          <p class="done" role="status">
            {message}
          </p>
        ) : null}
        {data.error ? <ProblemBox error={data.error} action="Refreshing" /> : null}
        {confirming ? (
          <KillConfirm
            env={env}
            flag={confirming.key}
            killed={confirming.killed}
            onClose={() => {
              setConfirming(null);
            }}
            onDone={(text) => {
              setConfirming(null);
              setMessage(text);
              data.reload();
            }}
          />
        ) : null}
        {report.flags.length === 0 ? (
          <p class="empty">No flag is deployed in {env}.</p>
        ) : (
          <table class="flags">
            <TableHead
              columns={[
                'Flag',
                'State',
                'Split',
                'Requirements',
                'Evaluations',
                'Findings',
                'Last change',
                'Kill switch',
              ]}
            />
            <tbody>
              {report.flags.map((flag) => (
                <FlagRow
                  key={flag.key}
                  flag={flag}
                  definition={flags.flags[flag.key]}
                  onKill={() => {
                    setMessage(null);
                    setConfirming({ key: flag.key, killed: flag.state === 'killed' });
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
};
