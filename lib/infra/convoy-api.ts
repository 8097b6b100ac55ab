import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type HttpRoute,
  type HttpStage,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, type Route, type RouteGroup } from '#api/routes.ts';

export interface ConvoyApiProps {
  /** Usually `routes` of lib/api/routes.ts. */
  routes: readonly Route[];
  /** The Lambda function serving each route group. */
  handlers: Record<RouteGroup, IFunction>;
  /** @default 50 requests/s steady, bursts of 100 */
  throttle?: ThrottleSettings;
  /** @default one year */
  accessLogRetention?: RetentionDays;
  /** The authorizer of every route. @default IAM (SigV4) */
  authorizer?: IHttpRouteAuthorizer;
  /**
   * The stage: `$default` serves the routes at the root; a named stage serves them under `/<name>`
   * (API Gateway strips it: the route key stays `GET /catalog`). @default $default
   */
  stageName?: string;
  /** Appended to `<stack>-api` (a second API of the same routes). @default none */
  nameSuffix?: string;
  description?: string;
}

/**
 * One JSON line per request; `userArn` is the IAM caller the authorizer accepted, `sub` the Cognito user
 * of a JWT-authorized request (the dashboard API).
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userArn: '$context.identity.userArn',
    caller: '$context.identity.caller',
    sub: '$context.authorizer.claims.sub',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * The Convoy HTTP API: IAM (SigV4) authorization on every route by default, one route per entry of the
 * route table integrated with its group's function (payload format 2.0), access logs to CloudWatch.
 */
export class ConvoyApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Every route by its route key, e.g. `GET /health`. */
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: ConvoyApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api${props.nameSuffix ?? ''}`,
      description: props.description ?? 'Convoy: release-oriented configuration management',
      defaultAuthorizer: props.authorizer ?? new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: props.stageName ?? '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });

    const integrations = new Map<RouteGroup, HttpLambdaIntegration>();
    const integrationOf = (group: RouteGroup): HttpLambdaIntegration => {
      let integration = integrations.get(group);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${group}-integration`, props.handlers[group]);
        integrations.set(group, integration);
      }
      return integration;
    };
    for (const route of props.routes) {
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.group),
      });
      if (created) this.routes.set(routeKey(route), created);
    }
  }

  /** The base URL of the API (its stage). */
  get url(): string {
    return this.stage.url;
  }
}
