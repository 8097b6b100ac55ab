import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AssetHashType,
  Aws,
  CfnElement,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Route, RouteGroup } from '#api/routes.ts';
import { buildDashboardSync, DASHBOARD_CONFIG_PATH, dashboardSourceDir } from '../dashboard/bundle.ts';
import { ConvoyApi } from './convoy-api.ts';

/** The path under which the distribution forwards the page's API calls (the dashboard API's stage). */
export const DASHBOARD_API_STAGE = 'api';

/** The claim that names a Cognito user's catalog principal (a custom attribute of the user pool). */
export const PRINCIPAL_ATTRIBUTE = 'principal';

export interface DashboardHostingProps {
  /** A custom domain for the page: its name and an ACM certificate for it in us-east-1. */
  domain?: { name: string; certificateArn: string };
  /** More sign-in callback URLs, e.g. `http://localhost:4310/` to try a local page against AWS. */
  callbackUrls?: string[];
  /**
   * The prefix of the hosted sign-in domain, `<prefix>.auth.<region>.amazoncognito.com` (unique in the
   * region). @default `<stack name in lower case>-<account id>`
   */
  authDomainPrefix?: string;
  /** A WAF web ACL (CLOUDFRONT scope, us-east-1) for the distribution. @default none */
  webAclArn?: string;
}

export interface DashboardHostingBindingProps extends DashboardHostingProps {
  /** The route table and the functions of the IAM API: the dashboard API serves the same ones. */
  routes: readonly Route[];
  handlers: Record<RouteGroup, IFunction>;
  throttle?: ThrottleSettings;
}

/**
 * Rewrites page paths (no file extension) to /index.html on the page's behaviour only: an SPA fallback
 * through the distribution's error responses would also replace the API's 403 and 404 problems.
 */
const spaFallback = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The dashboard on AWS: the page in a private S3 bucket behind CloudFront (origin access control),
 * people signed in by a Cognito user pool (hosted UI, authorization code + PKCE, MFA), and a second
 * HTTP API over the same route table and functions whose routes take the user pool's JWTs, served by
 * the distribution under `/api/*` so the page calls its own origin. A user's catalog principal is the
 * `custom:principal` attribute (or the user name), which only administrators can set.
 */
export class DashboardHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The JWT-authorized API (stage `api`), behind the distribution's `/api/*` behaviour. */
  readonly api: ConvoyApi;
  readonly deployment: BucketDeployment;
  /** The page's URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardHostingBindingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Who may sign in: users an administrator created (no self sign-up), with MFA and threat protection.
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${stack.stackName}-dashboard`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: { email: { required: false, mutable: true } },
      customAttributes: {
        [PRINCIPAL_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 2048, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: {
        domainPrefix: props.authDomainPrefix ?? Fn.join('-', [stack.stackName.toLowerCase(), Aws.ACCOUNT_ID]),
      },
    });

    // Logs: the distribution's and the page bucket's access logs.
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Page', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'page-bucket/',
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The page's app client: a public client (no secret) of the hosted UI, authorization code flow
    // (the page sends a PKCE challenge), redirected back to the page. Users cannot write their own
    // `custom:principal` (who they act as in the catalog): only administrators set it.
    const pageOrigins: string[] = [];
    const callbacks = Lazy.list({
      produce: () => [...pageOrigins.map((origin) => `${origin}/`), ...(props.callbackUrls ?? [])],
    });
    this.client = this.userPool.addClient('Page', {
      userPoolClientName: 'convoy-dashboard',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: callbacks,
        logoutUrls: callbacks,
      },
      preventUserExistenceErrors: true,
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // The API for the page: the same routes and functions, authorized by this client's JWTs, served on
    // the `api` stage so that the distribution forwards `/api/...` unchanged (route keys stay `GET /catalog`).
    this.api = new ConvoyApi(this, 'Api', {
      routes: props.routes,
      handlers: props.handlers,
      authorizer: new HttpUserPoolAuthorizer('Dashboard', this.userPool, {
        userPoolClients: [this.client],
        authorizerName: 'convoy-dashboard',
      }),
      stageName: DASHBOARD_API_STAGE,
      nameSuffix: '-dashboard',
      description: 'Convoy for the dashboard: the HTTP API routes, authorized by Cognito JWTs',
      ...(props.throttle ? { throttle: props.throttle } : {}),
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Convoy dashboard: HSTS, CSP (self and the sign-in domain), no framing, no sniffing',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: {
          contentSecurityPolicy: Fn.join('', [
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ",
            "connect-src 'self' ",
            this.domain.baseUrl(),
            "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
          ]),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${stack.stackName} dashboard`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'SpaFallback', {
              comment: 'Convoy dashboard: page paths to /index.html',
              runtime: FunctionRuntime.JS_2_0,
              code: FunctionCode.fromInline(spaFallback),
            }),
          },
        ],
      },
      additionalBehaviors: {
        [`/${DASHBOARD_API_STAGE}/*`]: {
          origin: new HttpOrigin(`${this.api.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Never cached; every viewer header but Host (API Gateway routes by its own host name),
          // Authorization included (CloudFront forwards it when caching is disabled).
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
    pageOrigins.push(`https://${this.distribution.distributionDomainName}`);
    if (props.domain) pageOrigins.push(`https://${props.domain.name}`);

    // The page (built by esbuild at synth time; skipped with the stack's bundling) and its configuration.
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(dashboardSourceDir, {
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine'),
            local: {
              tryBundle: (outputDir: string) => {
                writeDashboard(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData(DASHBOARD_CONFIG_PATH.slice(1), {
          apiBase: `/${DASHBOARD_API_STAGE}`,
          auth: {
            domain: this.domain.baseUrl(),
            clientId: this.client.userPoolClientId,
            scopes: ['openid', 'email', 'profile'],
          },
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
    });

    this.acknowledge(props);
  }

  /** The findings this design accepts, each where it arises and why. */
  private acknowledge(props: DashboardHostingProps): void {
    const distribution = Validations.of(this.distribution);
    distribution.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Release coordinators sign in from wherever they work; the page is useless without a Cognito ' +
        'sign-in with MFA, so a geographic restriction would only lock out travelling staff.',
    });
    if (!props.webAclArn)
      distribution.acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'A CloudFront web ACL lives in us-east-1, outside this stack; pass `dashboard.webAclArn` to ' +
          'attach one. Every API call is authorized (Cognito JWT) and throttled by API Gateway.',
      });
    if (!props.domain)
      distribution.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution serves the *.cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes; pass `dashboard.domain` to get TLSv1.2_2021 as the minimum.',
      });

    // The CDK's own deployment function (a singleton of the stack) copies the page into the bucket.
    const role = this.deployment.handlerRole;
    const stack = Stack.of(this);
    const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const pageObjects = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
    const copying =
      'The CDK BucketDeployment function copies the page from the CDK asset bucket into the dashboard ' +
      'bucket and invalidates the distribution: ';
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${copying}the CDK gives its role the basic execution managed policy (log writes only).`,
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${copying}the CDK grants read (asset bucket) and read-write (dashboard bucket) as action groups.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
        reason: `${copying}it reads the page's zipped asset, whose key is known only at deploy time.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${pageObjects}]`,
        reason: `${copying}it writes and prunes every object of the dashboard bucket, which holds only the page.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${copying}cloudfront:CreateInvalidation and GetInvalidation as granted by the CDK on any distribution.`,
      },
    );
    Validations.of(role.node.scope ?? role).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${copying}its runtime is chosen by the CDK version, not by Convoy, and moves with CDK upgrades.`,
    });
  }
}

/** Write the built page (index.html, ui/app.js, ui/app.css) into a directory. */
const writeDashboard = (outputDir: string): void => {
  for (const file of buildDashboardSync({ configPath: DASHBOARD_CONFIG_PATH })) {
    const target = path.join(outputDir, file.path === '/' ? 'index.html' : file.path.slice(1));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
};
