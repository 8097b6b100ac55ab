import type { AuditEvent } from '../audit/event.ts';
import { isJsonObject, type JsonValue } from '../core/json.ts';
import type { SignoffOverrideUse } from './compliance.ts';

const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/**
 * A release deployed on a release manager's sign-off override, as its `ReleaseDeployed` audit event
 * recorded it (deploy-plan.ts): who overrode, who deployed, the teams not signed off, the approval and
 * the reason. Events written before the teams were recorded read as none; any other event, nothing.
 */
export const signoffOverrideOf = (event: AuditEvent): SignoffOverrideUse[] => {
  const d = event.detail;
  const override = d.signoffOverride;
  if (event.type !== 'ReleaseDeployed' || !isJsonObject(override)) return [];
  const teams = override.unsignedTeams;
  return [
    {
      at: event.at,
      environment: event.chain,
      release: text(d.release),
      ...(typeof d.deploymentId === 'string' ? { deploymentId: d.deploymentId } : {}),
      principal: text(override.principal),
      deployedBy: event.actor,
      unsignedTeams: Array.isArray(teams) ? teams.filter((t): t is string => typeof t === 'string') : [],
      approved: override.approved === true,
      reason: text(override.reason),
    },
  ];
};
