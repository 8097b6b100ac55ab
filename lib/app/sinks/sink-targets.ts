import { toAppConfigFlags } from '#api/formats/appconfig-flags.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { formatConfig, materialize } from '#domain/environments/config.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import type { SinkName } from '#domain/environments/sink-status.ts';
import type { AppConfigBinding } from '#integrations/ports.ts';
import { flagSetOf } from '../flags/flag-set.ts';

/** What one sink receives for a deployment: the hosted content, and the flags it had to leave out. */
export interface SinkContent {
  content: string;
  omitted?: string[];
}

/** Service → version reported by CI/CD in the environment (what flag requirements read). */
export type ReportedServices = Readonly<Record<string, string>>;

/** One AppConfig profile an environment delivers to, and what it writes there. */
export interface SinkTarget {
  sink: SinkName;
  binding: AppConfigBinding;
  /** The content needs the services reported in the environment (read only for such a target). */
  readsServices?: true;
  content(record: DeploymentRecord, snapshot: Snapshot, services: ReportedServices): SinkContent;
}

const configContent =
  (catalog: Catalog) =>
  (_record: DeploymentRecord, snapshot: Snapshot): SinkContent => ({
    content: formatConfig(materialize(catalog, snapshot).values, 'json'),
  });

/**
 * The environment's flags as an AWS.AppConfig.FeatureFlags document (deterministic: no timestamps,
 * so a retry writes the same bytes). Flags the format cannot express are left out and named.
 */
const flagsContent =
  (catalog: Catalog, environment: string) =>
  (record: DeploymentRecord, snapshot: Snapshot): SinkContent => {
    const set = flagSetOf(catalog, environment, record.headVersion, snapshot);
    const { document, problems } = toAppConfigFlags(set);
    return {
      content: JSON.stringify(document),
      ...(problems.length === 0 ? {} : { omitted: problems.map((p) => p.flag) }),
    };
  };

/**
 * The environment's Convoy flag set, the document `GET /environments/{env}/flags` answers for the
 * deployment's HEAD (flags, segments, the required services' versions as reported at publication, and
 * the ETag): what the provider's AppConfig loader reads. Deterministic: sorted keys, no timestamps.
 */
const flagSetContent =
  (catalog: Catalog, environment: string) =>
  (record: DeploymentRecord, snapshot: Snapshot, services: ReportedServices): SinkContent => ({
    content: JSON.stringify(flagSetOf(catalog, environment, record.headVersion, snapshot, services)),
  });

/**
 * The sinks of an environment, in delivery order: its configuration profile, then (with
 * `flagsProfile`) its feature-flag profile and (with `flagSetProfile`) its flag-set profile, in the
 * same AppConfig application and environment.
 */
export const sinkTargets = (catalog: Catalog, environment: string): SinkTarget[] => {
  const bound = catalog.environments.find((e) => e.name === environment)?.appconfig;
  if (!bound) return [];
  const { flagsProfile, flagSetProfile, ...binding } = bound;
  const targets: SinkTarget[] = [{ sink: 'appconfig', binding, content: configContent(catalog) }];
  if (flagsProfile !== undefined) {
    targets.push({
      sink: 'appconfigFlags',
      binding: { ...binding, profile: flagsProfile },
      content: flagsContent(catalog, environment),
    });
  }
  if (flagSetProfile !== undefined) {
    targets.push({
      sink: 'appconfigFlagSet',
      binding: { ...binding, profile: flagSetProfile },
      readsServices: true,
      content: flagSetContent(catalog, environment),
    });
  }
  return targets;
};

export const sinkTargetOf = (catalog: Catalog, environment: string, sink: SinkName): SinkTarget | undefined =>
  sinkTargets(catalog, environment).find((t) => t.sink === sink);
