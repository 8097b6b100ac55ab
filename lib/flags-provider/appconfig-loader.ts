import type { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { ConvoyError } from '#domain/core/errors.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';
import { parseFlagSet, type FlagSetLoader } from './flag-set-loader.ts';

export interface AppConfigLoaderOptions {
  /** An AppConfigData client (region, credentials); default: one from the environment's AWS settings. */
  client?: AppConfigDataClient;
  /** The AppConfig application, environment and flag-set profile (the binding's `flagSetProfile`), by name or id. */
  application: string;
  environment: string;
  profile: string;
  /**
   * The session's RequiredMinimumPollIntervalInSeconds (AppConfig accepts 15 to 86,400; its default
   * is 60). Polls sooner than AppConfig's NextPollIntervalInSeconds answer "unchanged" without a call.
   */
  pollIntervalSeconds?: number;
  /** The clock that paces polls (epoch ms). */
  now?: () => number;
}

const decoder = new TextDecoder();

/**
 * The flag set Convoy publishes to an AppConfig freeform profile (the binding's `flagSetProfile`), read
 * through AppConfigData: StartConfigurationSession once, then GetLatestConfiguration with the token
 * each answer gives. An empty Configuration means unchanged (`undefined`, as a 304); content is parsed
 * and checked as a flag set, and one with the held ETag is unchanged too. A failed call or malformed
 * content throws (the provider answers PROVIDER_ERROR on a first load, PROVIDER_STALE on a poll) and
 * drops the session, so the next poll starts a new one and reads the whole content again.
 */
export const appConfigFlagSetLoader = (options: AppConfigLoaderOptions): FlagSetLoader => {
  const { application, environment, profile, pollIntervalSeconds, now = Date.now } = options;
  const where = `AppConfig ${application}/${environment}/${profile}`;
  const context = { application, environment, profile };
  let client = options.client;
  let token: string | undefined;
  let nextPollAt = 0;

  const sdk = async () => {
    const module = await import('@aws-sdk/client-appconfigdata');
    client ??= new module.AppConfigDataClient({});
    return { module, client };
  };

  const fetchLatest = async (fresh: boolean): Promise<Uint8Array | undefined> => {
    const { module, client: data } = await sdk();
    if (fresh || token === undefined) {
      const session = await data.send(
        new module.StartConfigurationSessionCommand({
          ApplicationIdentifier: application,
          EnvironmentIdentifier: environment,
          ConfigurationProfileIdentifier: profile,
          ...(pollIntervalSeconds === undefined
            ? {}
            : { RequiredMinimumPollIntervalInSeconds: pollIntervalSeconds }),
        }),
      );
      token = session.InitialConfigurationToken;
    }
    const latest = await data.send(new module.GetLatestConfigurationCommand({ ConfigurationToken: token }));
    token = latest.NextPollConfigurationToken;
    nextPollAt = now() + (latest.NextPollIntervalInSeconds ?? 0) * 1000;
    return latest.Configuration;
  };

  const failed = (message: string, cause: unknown): ConvoyError => {
    token = undefined;
    return new ConvoyError('unavailable', `${where}: ${message}`, { cause, context });
  };

  return async (etag) => {
    const fresh = etag === undefined;
    if (!fresh && token !== undefined && now() < nextPollAt) return undefined;
    let content: Uint8Array | undefined;
    try {
      content = await fetchLatest(fresh);
    } catch (error) {
      throw failed(`reading the flag set failed: ${(error as Error).message}`, error);
    }
    if (content === undefined || content.length === 0) {
      if (!fresh) return undefined;
      throw failed('no flag set is deployed to the profile', undefined);
    }
    let set: FlagSet;
    try {
      set = parseFlagSet(JSON.parse(decoder.decode(content)), environment);
    } catch (error) {
      throw failed(`the content is not a Convoy flag set: ${(error as Error).message}`, error);
    }
    return set.etag === etag ? undefined : set;
  };
};
