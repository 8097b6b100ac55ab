import type { EnvironmentStatus as EnvironmentRow } from '#api/environments.ts';
import type { ReleaseListResponse, ReleaseResponse } from '#api/releases.ts';
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
  releases: ReleaseResponse[];
  deployments: Record<string, DeploymentRecord[]>;
}

/** Two waves of reads: the lists (and each catalog environment's deployments), then each release. */
const loadMatrix = async (names: string[]): Promise<Matrix> => {
  const deploymentsOf = (env: string) =>
    get<{ deployments: DeploymentRecord[] }>(`/environments/${seg(env)}/deployments`).then(
      (d) => d.deployments,
    );
  const [envs, list, deployments] = await Promise.all([
    get<EnvironmentsResponse>('/environments'),
    get<ReleaseListResponse>('/releases'),
    Promise.all(names.map(deploymentsOf)),
  ]);
  const byEnv = new Map(names.map((name, i) => [name, deployments[i] ?? []]));
  const [releases, missing] = await Promise.all([
    Promise.all(list.releases.map((r) => get<ReleaseResponse>(`/releases/${seg(r.release)}`))),
    // Environments the catalog did not list when the page loaded.
    Promise.all(
      envs.environments
        .filter((e) => !byEnv.has(e.name))
        .map(async (e) => [e.name, await deploymentsOf(e.name)] as const),
    ),
  ]);
  for (const [name, records] of missing) byEnv.set(name, records);
  return { environments: envs.environments, releases, deployments: Object.fromEntries(byEnv) };
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

export const ReleasesView = ({ environments: names }: { environments: string[] }) => {
  const matrix = useLoad(`releases/${names.join(',')}`, () => loadMatrix(names));
  useReady('releases', matrix.data !== undefined);
  if (matrix.error && !matrix.data) return <ProblemBox error={matrix.error} action="Loading releases" />;
  if (!matrix.data) return <Loading what="releases and environments" />;
  const { environments, releases, deployments } = matrix.data;
  const services = [...new Set(environments.flatMap((e) => e.services.map((s) => s.service)))].sort();
  return (
    <div data-view="releases" data-ready="true">
      <Section
        title="Releases and environments"
        actions={
          <button type="button" onClick={matrix.reload}>
            Refresh
          </button>
        }
      >
        {matrix.error ? <ProblemBox error={matrix.error} action="Refreshing" /> : null}
        <div class="scroll">
          <table class="matrix">
            <caption>
              {releases.length} releases × {environments.length} environments; a partial release is marked
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
              {releases.map((release) => [
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
                    </Badge>
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
              ])}
            </tbody>
          </table>
        </div>
      </Section>
    </div>
  );
};
