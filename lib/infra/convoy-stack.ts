import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { routes, type RouteGroup } from '../../functions/shared/routes.ts';
import { ApiFunctions } from './api-functions.ts';
import { AuditBus } from './audit-bus.ts';
import { AuditPipe } from './audit-pipe.ts';
import { ConvoyApi } from './convoy-api.ts';
import { ConvoyFunction, type ConvoyFunctionProps, type ConvoyLogLevel } from './convoy-function.ts';
import { ConvoyTable } from './convoy-table.ts';

export interface ConvoyStackProps extends StackProps {
  /** Log level of every function. @default INFO */
  logLevel?: ConvoyLogLevel;
  /** API stage throttling. @default 50 requests/s, bursts of 100 */
  apiThrottle?: ThrottleSettings;
}

/**
 * Convoy on AWS: the table, the IAM-authorized HTTP API with one function per route group, and the
 * audit outbox relay (table stream → Pipe → `convoy-audit` bus with an archive). Later capabilities
 * (state machines, schedules, more functions) add themselves through `addFunction` and the public
 * table, bus and function properties.
 */
export class ConvoyStack extends Stack {
  readonly table: Table;
  readonly auditBus: EventBus;
  readonly api: ConvoyApi;
  readonly auditPipe: AuditPipe;
  /** The API function of each route group. */
  readonly apiFunctions: Record<RouteGroup, NodejsFunction>;
  /** Every Convoy function of the stack by id, API groups included (`api-<group>`). */
  readonly functions = new Map<string, ConvoyFunction>();
  private readonly logLevel: ConvoyLogLevel | undefined;

  constructor(scope: Construct, id: string, props: ConvoyStackProps = {}) {
    super(scope, id, props);
    this.logLevel = props.logLevel;
    this.table = new ConvoyTable(this, 'Store').table;
    this.auditBus = new AuditBus(this, 'Audit').eventBus;
    this.auditPipe = new AuditPipe(this, 'AuditPipe', { table: this.table, eventBus: this.auditBus });

    const apiFunctions = new ApiFunctions(this, 'ApiFunctions', {
      table: this.table,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    for (const [group, fn] of Object.entries(apiFunctions.byGroup)) this.functions.set(`api-${group}`, fn);
    this.apiFunctions = mapValues(apiFunctions.byGroup, (fn) => fn.handler);

    this.api = new ConvoyApi(this, 'Api', {
      routes,
      handlers: this.apiFunctions,
      ...(props.apiThrottle ? { throttle: props.apiThrottle } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Convoy HTTP API (IAM/SigV4)' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AuditBusName', { value: this.auditBus.eventBusName });
  }

  /**
   * Add a Convoy function (workflow task, scheduled job, pipeline action) wired to the table with the
   * stack's conventions; it is registered in `functions` under `id`.
   */
  addFunction(id: string, props: Omit<ConvoyFunctionProps, 'table'>): ConvoyFunction {
    if (this.functions.has(id)) throw new Error(`Convoy function ${id} already exists`);
    const fn = new ConvoyFunction(this, id, {
      ...(this.logLevel ? { logLevel: this.logLevel } : {}),
      ...props,
      table: this.table,
    });
    this.functions.set(id, fn);
    return fn;
  }
}

const mapValues = <K extends string, A, B>(record: Record<K, A>, f: (value: A) => B): Record<K, B> =>
  Object.fromEntries(Object.entries<A>(record).map(([key, value]) => [key, f(value)])) as Record<K, B>;
