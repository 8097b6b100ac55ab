import type { EnvironmentStatus as EnvironmentRow } from '#api/environments.ts';
import type { ReleaseListResponse, ReleaseResponse } from '#api/releases.ts';
import type { ReleaseSummary } from '#domain/releases/release-list.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import type { BundleCell, EnvironmentStatus } from '#domain/releases/environment-status.ts';
import { get, seg } from '../api.ts';
import { Badge, Loading, ProblemBox, Section, when } from '../components.tsx';
import { useReady } from '../ready.ts';
import { useLoad } from '../use-api.ts';

interface EnvironmentsResponse {
  environments: EnvironmentRow[];
}

interface Matrix {
  environments: EnvironmentsResponse['environments'];
  releases: ReleaseSummary[];
  deployments: Record<string, DeploymentRecord[]>;
}

/**
 * The first picture, from cheap reads in one wave: the environments (HEADs, services), the list of
 * releases without validating them (`validate=false`), and each catalog environment's deployments.
 * Each release's bundles and readiness (which validates it against every environment) come after
 * the first paint (ReleasesView).
 */
const loadMatrix = async (names: string[]): Promise<Matrix> => {
  const deploymentsOf = (env: string) =>
    get<{ deployments: DeploymentRecord[] }>(`/environments/${seg(env)}/deployments`).then(
      (d) => d.deployments,
    );
  const [envs, list, deployments] = await Promise.all([
    get<EnvironmentsResponse>('/environments'),
    get<ReleaseListResponse>('/releases?validate=false'),
    Promise.all(names.map(deploymentsOf)),
  ]);
  const byEnv = new Map(names.map((name, i) => [name, deployments[i] ?? []]));
  // Environments the catalog did not list when the page loaded.
  const missing = await Promise.all(
    envs.environments
      .filter((e) => !byEnv.has(e.name))
      .map(async (e) => [e.name, await deploymentsOf(e.name)] as const),
  );
  for (const [name, records] of missing) byEnv.set(name, records);
  return { environments: envs.environments, releases: list.releases, deployments: Object.fromEntries(byEnv) };
};

const coverageTone = { complete: 'ok', partial: 'warn', none: 'muted' } as const;

/** The newest deployment record of an environment that applied this bundle (alone or in a release). */
const lastDeploymentOf = (records: DeploymentRecord[], bundle: string): DeploymentRecord | undefined =>
  records
    .filter((r) => r.bundle?.name === bundle || r.bundles?.some((b) => b.name === bundle))
    .sort((a, b) => b.headVersion - a.headVersion)[0];

const Who = ({ record }: { record: DeploymentRecord | undefined }) =>
  record ? (
    <span class="who">
      {record.principal} · {when(record.at)}
      {record.overrideId ? <Badge tone="bad">override {record.overrideId}</Badge> : null}
    </span>
  ) : null;

const BundleCellView = ({
  cell,
  version,
  record,
}: {
  cell: BundleCell | undefined;
  version: string;
  record?: DeploymentRecord;
}) => {
  if (!cell || cell.state === 'absent') return <span class="absent">not deployed</span>;
  return (
    <div>
      {cell.state === 'live' ? (
        <Badge tone="ok">v{version} live</Badge>
      ) : (
        <Badge tone="warn">
          v{cell.live} (release has v{version})
        </Badge>
      )}
      <Who record={record} />
    </div>
  );
};

const ReleaseRow = ({ status }: { status: EnvironmentStatus | undefined }) => {
  if (!status) return <td>—</td>;
  const live = status.bundles.filter((b) => b.state === 'live').length;
  return (
    <td class={`coverage ${status.status}`}>
      <Badge tone={coverageTone[status.status]}>
        {status.status} {live}/{status.bundles.length}
      </Badge>
      {status.waysOut.length > 0 ? (
        <ul class="ways-out">
          {status.waysOut.map((w) => (
            <li key={w.kind}>
              <code>{w.command}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </td>
  );
};

/** A release row from the list alone (first paint): its progress, partial environments marked. */
const SummaryRow = ({ summary, environments }: { summary: ReleaseSummary; environments: string[] }) => (
  <tr class="release-row" data-release={summary.release}>
    <th scope="row">
      {summary.release}{' '}
      <Badge
        tone={summary.progress === 'complete' ? 'ok' : summary.progress === 'in-progress' ? 'warn' : 'muted'}
      >
        {summary.progress}
      </Badge>{' '}
      <Readiness release={undefined} />
    </th>
    {environments.map((env) => (
      <td key={env} class="coverage">
        {summary.partial.includes(env) ? <Badge tone="warn">partial</Badge> : <span class="absent">…</span>}
      </td>
    ))}
  </tr>
);

/** A release's readiness (sign-offs, rules applied together in each environment), once validated. */
const Readiness = ({ release }: { release: ReleaseResponse | undefined }) => {
  if (!release) return <span class="readiness muted">checking readiness…</span>;
  const blocking = release.readiness.reasons.filter((r) => (r.severity ?? 'error') === 'error');
  if (release.readiness.ready) return <Badge tone="ok">ready</Badge>;
  return (
    <details class="readiness">
      <summary>
        <Badge tone="bad">not ready: {blocking.length} reason(s)</Badge>
      </summary>
      <ul>
        {blocking.map((r, i) => (
          <li key={i}>{r.message}</li>
        ))}
      </ul>
    </details>
  );
};

export const ReleasesView = ({ environments: names }: { environments: string[] }) => {
  const matrix = useLoad(`releases/${names.join(',')}`, () => loadMatrix(names));
  useReady('releases', matrix.data !== undefined);
  const releaseNames = matrix.data?.releases.map((r) => r.release) ?? [];
  // After the first paint: each release, validated (its bundles, cells and readiness).
  const validated = useLoad(matrix.data ? `details/${releaseNames.join(',')}` : null, () =>
    Promise.all(releaseNames.map((name) => get<ReleaseResponse>(`/releases/${seg(name)}`))),
  );
  if (matrix.error && !matrix.data) return <ProblemBox error={matrix.error} action="Loading releases" />;
  if (!matrix.data) return <Loading what="releases and environments" />;
  const { environments, releases: summaries, deployments } = matrix.data;
  const details = new Map((validated.data ?? []).map((r) => [r.release, r]));
  const services = [...new Set(environments.flatMap((e) => e.services.map((s) => s.service)))].sort();
  return (
    <div data-view="releases" data-ready="true" data-detailed={validated.data ? 'true' : undefined}>
      <Section
        title="Releases and environments"
        actions={
          <button type="button" onClick={matrix.reload}>
            Refresh
          </button>
        }
      >
        {matrix.error ? <ProblemBox error={matrix.error} action="Refreshing" /> : null}
        {validated.error ? <ProblemBox error={validated.error} action="Checking readiness" /> : null}
        <div class="scroll">
          <table class="matrix">
            <caption>
              {summaries.length} releases × {environments.length} environments; a partial release is marked
              amber with its way out.
            </caption>
            <thead>
              <tr>
                <th scope="col">Release / bundle</th>
                {environments.map((e) => (
                  <th scope="col" key={e.name}>
                    {e.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr class="head-row">
                <th scope="row">HEAD</th>
                {environments.map((e) => {
                  const last = deployments[e.name]?.[0];
                  return (
                    <td key={e.name} data-env={e.name}>
                      <strong>v{e.head.version}</strong>{' '}
                      {last ? (
                        <span class="who">
                          {last.kind} by {last.principal} · {when(last.at)}
                          {last.overrideId ? <Badge tone="bad">override {last.overrideId}</Badge> : null}
                        </span>
                      ) : (
                        <span class="absent">never deployed</span>
                      )}
                    </td>
                  );
                })}
              </tr>
              {services.map((service) => (
                <tr key={service} class="service-row">
                  <th scope="row">service {service}</th>
                  {environments.map((e) => (
                    <td key={e.name}>{e.services.find((s) => s.service === service)?.version ?? '—'}</td>
                  ))}
                </tr>
              ))}
              {summaries.map((summary) => {
                const release = details.get(summary.release);
                if (!release)
                  return (
                    <SummaryRow
                      key={summary.release}
                      summary={summary}
                      environments={environments.map((e) => e.name)}
                    />
                  );
                return [
                  <tr key={release.release} class="release-row" data-release={release.release}>
                    <th scope="row">
                      {release.release}{' '}
                      <Badge
                        tone={
                          release.progress === 'complete'
                            ? 'ok'
                            : release.progress === 'in-progress'
                              ? 'warn'
                              : 'muted'
                        }
                      >
                        {release.progress}
                      </Badge>{' '}
                      <Readiness release={release} />
                    </th>
                    {environments.map((e) => (
                      <ReleaseRow
                        key={e.name}
                        status={release.environments.find((s) => s.environment === e.name)}
                      />
                    ))}
                  </tr>,
                  ...release.bundles.map((bundle) => (
                    <tr key={`${release.release}/${bundle.name}`} class="bundle-row">
                      <th scope="row" class="bundle-name">
                        {bundle.name}@{bundle.version} <span class="team">{bundle.team}</span>
                      </th>
                      {environments.map((e) => (
                        <td key={e.name}>
                          <BundleCellView
                            version={bundle.version}
                            cell={release.environments
                              .find((s) => s.environment === e.name)
                              ?.bundles.find((b) => b.name === bundle.name)}
                            record={lastDeploymentOf(deployments[e.name] ?? [], bundle.name)}
                          />
                        </td>
                      ))}
                    </tr>
                  )),
                ];
              })}
            </tbody>
          </table>
        </div>
      </Section>
    </div>
  );
};
