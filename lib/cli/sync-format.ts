import type { SyncResponse } from '#api/deployments.ts';
import type { SinkStatus } from '#domain/environments/sink-status.ts';

const numbers = (status: SinkStatus): string => {
  const parts = [
    ...(status.versionNumber === undefined ? [] : [`version ${status.versionNumber}`]),
    ...(status.deploymentNumber === undefined ? [] : [`deployment ${status.deploymentNumber}`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
};

/** The feature-flag profile's line, when the environment delivers its flags to AppConfig. */
const flagsSummary = (result: SyncResponse): { ok: boolean; text: string } | undefined => {
  const status = result.sinks.appconfigFlags;
  if (result.flags === undefined || status === undefined) return undefined;
  const ok = status.state !== 'failed' && status.state !== 'rolled-back';
  const omitted = status.omitted?.length ? `; not expressible, left out: ${status.omitted.join(', ')}` : '';
  return {
    ok,
    text: `${result.environment}: AppConfig flags ${result.flags.action}: ${status.state}${numbers(status)}; ${status.message ?? result.flags.reason}${omitted}.`,
  };
};

/** One line per sink for people; `ok` is false when a sink did not take HEAD (the pipeline retries later). */
export const syncSummary = (result: SyncResponse): { ok: boolean; text: string } => {
  const config = configSummary(result);
  const flags = flagsSummary(result);
  if (flags === undefined) return config;
  return { ok: config.ok && flags.ok, text: `${config.text}\n${flags.text}` };
};

const configSummary = (result: SyncResponse): { ok: boolean; text: string } => {
  const status = result.sinks.appconfig;
  const head = `HEAD ${result.head.version}${result.head.deploymentId ? ` (${result.head.deploymentId})` : ''}`;
  if (status === undefined)
    return { ok: true, text: `${result.environment}: nothing to sync: ${result.reason}.` };
  if (status.state === 'failed' || status.state === 'rolled-back') {
    return {
      ok: false,
      text: `${result.environment}: AppConfig is not at ${head}: ${status.state}${numbers(status)}: ${status.message ?? result.reason}`,
    };
  }
  const verb =
    result.action === 'published' ? `published ${head} to AppConfig` : `AppConfig in sync with ${head}`;
  return {
    ok: true,
    text: `${result.environment}: ${verb}: ${status.state}${numbers(status)}; ${result.reason}.`,
  };
};
