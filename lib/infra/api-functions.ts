import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { handlerEntry, routeGroups, type RouteGroup } from '#api/routes.ts';
import { ConvoyFunction, type ConvoyLogLevel } from './convoy-function.ts';
import type { TableAccess } from './table-access.ts';

/**
 * Table access of each route group's function. A group that only serves GETs reads; a group with any
 * PUT/POST route writes. Typed over every group, so a new group does not compile until it is decided.
 */
export const routeGroupAccess: Record<RouteGroup, TableAccess> = {
  health: 'read',
  catalog: 'readWrite',
  bundles: 'readWrite',
  deployments: 'readWrite',
  environments: 'readWrite',
  audit: 'audit',
  freezes: 'readWrite',
  // The calendar's reads: its export, occurrences and an environment's freeze status.
  'freeze-calendar': 'read',
  overrides: 'readWrite',
  reports: 'read',
  rollouts: 'readWrite',
  // Its POSTs are OFREP evaluations (reads that carry the evaluation context as a body), which count
  // themselves in the evaluation telemetry counters.
  flags: 'readWrite',
  // Provider evaluation counts (POST .../flags/metrics) and the flag report.
  telemetry: 'readWrite',
  releases: 'readWrite',
  // POST /impact is a read that carries the change set as a body.
  dependencies: 'read',
};

export interface ApiFunctionsProps {
  table: ITable;
  logLevel?: ConvoyLogLevel;
}

/** One function per route group of lib/api/routes.ts, each with its group's table access. */
export class ApiFunctions extends Construct {
  /** The Convoy function (handler, role, log group) of each group. */
  readonly byGroup: Record<RouteGroup, ConvoyFunction>;

  constructor(scope: Construct, id: string, props: ApiFunctionsProps) {
    super(scope, id);
    const entries = routeGroups.map((group) => {
      const fn = new ConvoyFunction(this, pascal(group), {
        entry: handlerEntry(group),
        table: props.table,
        tableAccess: routeGroupAccess[group],
        description: `Convoy API: ${group} routes`,
        ...(props.logLevel ? { logLevel: props.logLevel } : {}),
      });
      return [group, fn] as const;
    });
    this.byGroup = Object.fromEntries(entries) as Record<RouteGroup, ConvoyFunction>;
  }

  /** The Lambda function of a group. */
  handler(group: RouteGroup): NodejsFunction {
    return this.byGroup[group].handler;
  }
}

const pascal = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
