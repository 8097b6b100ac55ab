import { CfnOutput } from 'aws-cdk-lib';
import { CfnApplication, CfnConfigurationProfile, CfnEnvironment } from 'aws-cdk-lib/aws-appconfig';
import { Construct } from 'constructs';

export interface AppConfigApplicationProps {
  /** The AppConfig application's name (catalog bindings name it in `application`). */
  application: string;
  /** AppConfig environments to create, by name (bindings name them in `environment`). */
  environments: readonly string[];
  /** The freeform configuration profile. @default 'convoy-config' */
  configProfile?: string;
  /** The feature-flag profile (bindings name it in `flagsProfile`). @default 'convoy-flags' */
  flagsProfile?: string;
  /** The freeform flag-set profile the provider loads (bindings name it in `flagSetProfile`). @default 'convoy-flag-set' */
  flagSetProfile?: string;
}

/**
 * The AppConfig side of catalog bindings, for deployments that let Convoy's stack own it: one
 * application, its environments, a hosted freeform profile for the materialized configuration and a
 * hosted `AWS.AppConfig.FeatureFlags` profile for the flags, and a hosted freeform profile for the Convoy
 * flag set that `convoy/flags-provider` loads (appConfigFlagSetLoader). Convoy writes hosted versions and starts
 * deployments at run time (appconfig-access.ts grants that); nothing here is deployed content.
 */
export class AppConfigApplication extends Construct {
  readonly application: CfnApplication;
  readonly environments: Map<string, CfnEnvironment>;
  readonly configProfile: CfnConfigurationProfile;
  readonly flagsProfile: CfnConfigurationProfile;
  readonly flagSetProfile: CfnConfigurationProfile;

  constructor(scope: Construct, id: string, props: AppConfigApplicationProps) {
    super(scope, id);
    this.application = new CfnApplication(this, 'Application', {
      name: props.application,
      description: 'Convoy: configuration and feature flags delivered from environment HEADs',
    });
    const applicationId = this.application.ref;
    this.environments = new Map(
      props.environments.map((name) => [
        name,
        new CfnEnvironment(this, `Environment-${name}`, { applicationId, name }),
      ]),
    );
    this.configProfile = new CfnConfigurationProfile(this, 'ConfigProfile', {
      applicationId,
      name: props.configProfile ?? 'convoy-config',
      locationUri: 'hosted',
      type: 'AWS.Freeform',
      description: "Convoy: an environment's materialized configuration (GET /environments/{env}/config)",
    });
    this.flagsProfile = new CfnConfigurationProfile(this, 'FlagsProfile', {
      applicationId,
      name: props.flagsProfile ?? 'convoy-flags',
      locationUri: 'hosted',
      type: 'AWS.AppConfig.FeatureFlags',
      description: "Convoy: an environment's feature flags (AWS.AppConfig.FeatureFlags document)",
    });
    this.flagSetProfile = new CfnConfigurationProfile(this, 'FlagSetProfile', {
      applicationId,
      name: props.flagSetProfile ?? 'convoy-flag-set',
      locationUri: 'hosted',
      type: 'AWS.Freeform',
      description:
        "Convoy: an environment's flag set (GET /environments/{env}/flags), for the OpenFeature provider",
    });
    new CfnOutput(this, 'ApplicationId', { value: applicationId });
  }
}
