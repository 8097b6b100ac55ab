import type { Command } from 'commander';
import { segment, type ApiClient } from '#api/client.ts';
import type { EnvironmentStatus } from '#api/environments.ts';
import type { ReleaseListResponse, ReleaseResponse } from '#api/releases.ts';
import { contextOf } from '../context.ts';
import { CliError } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { partialReleaseLines } from '../release-format.ts';

/**
 * Columns: environments in promotion order. Rows: HEAD versions, then every bundle (in the order the
 * promotion path first shows it) with ✓ where it is live, then the reported service versions.
 */
export const statusMatrix = (
  environments: readonly EnvironmentStatus[],
): { bundles: string[][]; services: string[][]; flags: string[][] } => {
  const refs: string[] = [];
  for (const env of environments) for (const ref of env.bundles) if (!refs.includes(ref)) refs.push(ref);
  const services = [...new Set(environments.flatMap((e) => e.services.map((s) => s.service)))].sort();
  return {
    bundles: [
      ['HEAD', ...environments.map((e) => `v${e.head.version}`)],
      ...refs.map((ref) => [ref, ...environments.map((e) => (e.bundles.includes(ref) ? '✓' : ''))]),
    ],
    services: services.map((service) => [
      service,
      ...environments.map((e) => e.services.find((s) => s.service === service)?.version ?? ''),
    ]),
    // Flags at HEAD: how many are on, off and killed (`convoy flag report --env e` for the details).
    flags: environments.some((e) => (e.flags?.total ?? 0) > 0)
      ? (['enabled', 'disabled', 'killed'] as const).map((state) => [
          state,
          ...environments.map((e) => String(e.flags?.[state] ?? 0)),
        ])
      : [],
  };
};

const printMatrix = (out: Output, environments: readonly EnvironmentStatus[]): void => {
  const { bundles, services, flags } = statusMatrix(environments);
  const names = environments.map((e) => e.name);
  const rows = [
    ...bundles.map((row, i) => (i === 0 ? row.map((cell) => out.style('dim', cell)) : row)),
    ...(services.length > 0 ? [[''], [out.style('bold', 'SERVICES')], ...services] : []),
    ...(flags.length > 0 ? [[''], [out.style('bold', 'FLAGS')], ...flags] : []),
  ];
  out.table(rows, { header: ['BUNDLE', ...names] });
  if (bundles.length === 1)
    out.line('\nNothing deployed yet. Try `convoy deploy <name>@<version> --env <env>`.');
};

/** The releases some environment holds only part of (an API without releases: none). */
const partialReleases = async (client: ApiClient): Promise<ReleaseResponse[]> => {
  let listed: ReleaseListResponse;
  try {
    listed = await client.call<ReleaseListResponse>('GET', '/releases');
  } catch (error) {
    if (error instanceof CliError) return [];
    throw error;
  }
  const partial = listed.releases.filter((r) => r.partial.length > 0);
  return Promise.all(
    partial.map((r) => client.call<ReleaseResponse>('GET', `/releases/${segment(r.release)}`)),
  );
};

/** `convoy status`: the environments, and the releases left partial with their ways out. */
export const status = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const client = ctx.client();
  const [result, partial] = await Promise.all([
    client.call<{ environments: EnvironmentStatus[] }>('GET', '/environments'),
    partialReleases(client),
  ]);
  if (ctx.json) {
    const partialJson = partial.flatMap((state) =>
      state.environments
        .filter((env) => env.status === 'partial')
        .map((env) => ({ release: state.release, environment: env.environment, waysOut: env.waysOut })),
    );
    ctx.out.data({ ...result, partialReleases: partialJson });
    return;
  }
  printMatrix(ctx.out, result.environments);
  const lines = partialReleaseLines(partial);
  if (lines.length > 0) ctx.out.line();
  for (const line of lines) ctx.out.line(line);
};
