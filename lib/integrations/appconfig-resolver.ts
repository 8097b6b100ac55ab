import {
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  type AppConfigClient,
} from '@aws-sdk/client-appconfig';
import { conflict, notFound } from '#domain/core/errors.ts';
import { translateAwsError } from './aws-errors.ts';
import type { AppConfigBinding } from './ports.ts';

export const APPCONFIG_SERVICE = 'AppConfig';

/** The ids AppConfig's APIs take, for a binding written with names or ids. */
export interface ResolvedBinding {
  applicationId: string;
  environmentId: string;
  profileId: string;
  strategyId: string;
}

interface Named {
  Id?: string | undefined;
  Name?: string | undefined;
}

interface Page {
  Items?: Named[] | undefined;
  NextToken?: string | undefined;
}

const listAll = async (page: (token: string | undefined) => Promise<Page>): Promise<Named[]> => {
  const items: Named[] = [];
  let token: string | undefined;
  do {
    const out = await page(token);
    items.push(...(out.Items ?? []));
    token = out.NextToken;
  } while (token !== undefined);
  return items;
};

/** An id wins over a name; a name must be unique, since AppConfig does not enforce that. */
const pick = (kind: string, wanted: string, items: readonly Named[]): string => {
  const byId = items.find((item) => item.Id === wanted);
  if (byId) return wanted;
  const byName = items.filter((item) => item.Name === wanted && item.Id !== undefined);
  const [only] = byName;
  if (byName.length === 1 && only?.Id !== undefined) return only.Id;
  if (byName.length > 1) {
    throw conflict(`${byName.length} AppConfig ${kind}s are named ${wanted}; bind the environment by id.`, {
      kind,
      name: wanted,
    });
  }
  throw notFound(`AppConfig ${kind} ${wanted} does not exist (neither as an id nor as a name).`, {
    kind,
    name: wanted,
  });
};

/**
 * Resolves the names of a binding to ids with the List APIs, once per binding: the promise is cached
 * (a process serves a handful of bindings) and dropped when it fails, so the next call tries again.
 */
export class AppConfigResolver {
  private readonly client: AppConfigClient;
  private readonly cache = new Map<string, Promise<ResolvedBinding>>();

  constructor(client: AppConfigClient) {
    this.client = client;
  }

  resolve(binding: AppConfigBinding): Promise<ResolvedBinding> {
    const key = JSON.stringify([
      binding.application,
      binding.environment,
      binding.profile,
      binding.deploymentStrategy,
    ]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const resolving = this.lookUp(binding);
    this.cache.set(key, resolving);
    resolving.catch(() => this.cache.delete(key));
    return resolving;
  }

  private async lookUp(binding: AppConfigBinding): Promise<ResolvedBinding> {
    try {
      const [applications, strategies] = await Promise.all([
        listAll((NextToken) => this.client.send(new ListApplicationsCommand({ MaxResults: 50, NextToken }))),
        listAll((NextToken) =>
          this.client.send(new ListDeploymentStrategiesCommand({ MaxResults: 50, NextToken })),
        ),
      ]);
      const applicationId = pick('application', binding.application, applications);
      const [environments, profiles] = await Promise.all([
        listAll((NextToken) =>
          this.client.send(
            new ListEnvironmentsCommand({ ApplicationId: applicationId, MaxResults: 50, NextToken }),
          ),
        ),
        listAll((NextToken) =>
          this.client.send(
            new ListConfigurationProfilesCommand({ ApplicationId: applicationId, MaxResults: 50, NextToken }),
          ),
        ),
      ]);
      return {
        applicationId,
        environmentId: pick('environment', binding.environment, environments),
        profileId: pick('configuration profile', binding.profile, profiles),
        strategyId: pick('deployment strategy', binding.deploymentStrategy, strategies),
      };
    } catch (error) {
      throw translateAwsError(APPCONFIG_SERVICE, error);
    }
  }
}
