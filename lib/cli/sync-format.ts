import type { SyncResponse } from '#api/deployments.ts';
import type { SinkStatus } from '#domain/environments/sink-status.ts';

const numbers = (status: SinkStatus): string => {
  const parts = [
    ...(status.versionNumber === undefined ? [] : [`version ${status.versionNumber}`]),
    ...(status.deploymentNumber === undefined ? [] : [`deployment ${status.deploymentNumber}`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
};

type Summary = { ok: boolean; text: string };

/** A flag profile's line, when the environment delivers its flags (or its flag set) to AppConfig. */
const profileSummary = (
  result: SyncResponse,
  label: string,
  sync: SyncResponse['flags'],
  status: SinkStatus | undefined,
): Summary | undefined => {
  if (sync === undefined || status === undefined) return undefined;
  const ok = status.state !== 'failed' && status.state !== 'rolled-back';
  const omitted = status.omitted?.length ? `; not expressible, left out: ${status.omitted.join(', ')}` : '';
  return {
    ok,
    text: `${result.environment}: AppConfig ${label} ${sync.action}: ${status.state}${numbers(status)}; ${status.message ?? sync.reason}${omitted}.`,
  };
};

/** One line per sink for people; `ok` is false when a sink did not take HEAD (the pipeline retries later). */
export const syncSummary = (result: SyncResponse): Summary => {
  const lines = [
    configSummary(result),
    profileSummary(result, 'flags', result.flags, result.sinks.appconfigFlags),
    profileSummary(result, 'flag set', result.flagSet, result.sinks.appconfigFlagSet),
  ].filter((line) => line !== undefined);
  return { ok: lines.every((l) => l.ok), text: lines.map((l) => l.text).join('\n') };
};

const configSummary = (result: SyncResponse): Summary => {
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
