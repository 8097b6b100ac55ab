import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { routes } from '#api/routes.ts';
import { buildDashboardSync } from '../../lib/dashboard/bundle.ts';
import { synthDashboard } from './support/dashboard-app.ts';
import { logicalId, resourcesOf } from './support/template-query.ts';

const { app, stack, dashboard, handlers, template } = synthDashboard({
  callbackUrls: ['http://localhost:4310/'],
});
const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
const getAtt = (construct: Parameters<typeof logicalId>[0], attribute: string) => ({
  'Fn::GetAtt': [logicalId(construct), attribute],
});
const bucketId = logicalId(dashboard.bucket);
const distributionId = logicalId(dashboard.distribution);
const distributionConfig = () =>
  template.toJSON().Resources[distributionId].Properties.DistributionConfig as {
    Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown }[];
    CacheBehaviors: Record<string, unknown>[];
    DefaultCacheBehavior: Record<string, unknown>;
  };

describe('dashboard hosting: the page bucket and the distribution', () => {
  test('the page bucket blocks public access, is encrypted, versioned and access-logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: ref(dashboard.logBucket),
        LogFilePrefix: 'page-bucket/',
      },
    });
  });

  test('its policy refuses plain HTTP and lets only this distribution read, through CloudFront', () => {
    const policy = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  test('the distribution reaches the bucket through an origin access control (SigV4, always signed)', () => {
    const oacs = resourcesOf(template, 'AWS::CloudFront::OriginAccessControl');
    expect(Object.values(oacs).map((oac) => oac.Properties?.OriginAccessControlConfig)).toEqual([
      expect.objectContaining({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    ]);
    const [oacId] = Object.keys(oacs);
    const s3Origin = distributionConfig().Origins.find(
      (o) => JSON.stringify(o.DomainName) === JSON.stringify(getAtt(dashboard.bucket, 'RegionalDomainName')),
    );
    expect(s3Origin).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(distributionConfig().DefaultCacheBehavior).toMatchObject({
      TargetOriginId: s3Origin?.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: ref(dashboard.distribution.node.scope!.node.findChild('SecurityHeaders')),
    });
  });

  test('serves index.html at the root, over HTTPS only, with access logs and security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Logging: { Bucket: getAtt(dashboard.logBucket, 'RegionalDomainName'), Prefix: 'distribution/' },
      }),
    });
    for (const behaviour of [
      distributionConfig().DefaultCacheBehavior,
      ...distributionConfig().CacheBehaviors,
    ])
      expect(['redirect-to-https', 'https-only']).toContain(behaviour.ViewerProtocolPolicy);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: {
              'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp("default-src 'self'")])],
            },
          }),
        }),
      }),
    });
  });

  test('page paths fall back to index.html on the page behaviour only (API 403/404 stay problems)', () => {
    const [fn] = Object.values(resourcesOf(template, 'AWS::CloudFront::Function'));
    const code = fn?.Properties?.FunctionCode as string;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the function's own code, run as CloudFront would
    const handler = new Function(`${code}; return handler;`)() as (event: unknown) => { uri: string };
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriOf('/')).toBe('/index.html');
    expect(uriOf('/rollouts/ro-1')).toBe('/index.html');
    expect(uriOf('/ui/app.js')).toBe('/ui/app.js');
    expect(uriOf('/config.json')).toBe('/config.json');
    expect(distributionConfig().DefaultCacheBehavior.FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: {
          'Fn::GetAtt': [Object.keys(resourcesOf(template, 'AWS::CloudFront::Function'))[0], 'FunctionARN'],
        },
      },
    ]);
    expect(distributionConfig().CacheBehaviors[0]).not.toHaveProperty('FunctionAssociations');
    expect(template.toJSON().Resources[distributionId].Properties.DistributionConfig).not.toHaveProperty(
      'CustomErrorResponses',
    );
  });

  test('deploys the built page and a config.json naming the sign-in domain, client and API path', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: ref(dashboard.bucket),
      DistributionId: ref(dashboard.distribution),
      DistributionPaths: ['/*'],
      Prune: true,
      SourceMarkers: Match.arrayWith([
        Match.objectLike({
          '<<marker:0xbaba:0>>': ref(dashboard.domain),
          '<<marker:0xbaba:2>>': ref(dashboard.client),
        }),
      ]),
    });
  });

  test('the page build (shared with the embedded runtime) loads /config.json on AWS', () => {
    const files = buildDashboardSync({ configPath: '/config.json' });
    // The dependency view's graph code is a chunk of its own, loaded when that view opens.
    expect(files.map((f) => f.path)).toEqual([
      '/',
      '/ui/app.js',
      ...files.filter((f) => /^\/ui\/chunk-[\w-]+\.js$/.test(f.path)).map((f) => f.path),
      '/ui/app.css',
    ]);
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]?.body).toContain('<meta name="convoy-config" content="/config.json">');
    expect(files[1]?.body.length).toBeGreaterThan(10_000);
    expect(buildDashboardSync()[0]?.body).not.toContain('convoy-config');
  });
});

describe('dashboard hosting: sign-in and the API for the page', () => {
  test('the user pool: no self sign-up, a strong password policy, MFA required, threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'principal', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: ref(dashboard.userPool),
      Domain: { 'Fn::Join': ['-', ['convoy', { Ref: 'AWS::AccountId' }]] },
    });
  });

  test('the app client: public (no secret), code flow only, back to the page; users cannot set their principal', () => {
    const pageUrl = { 'Fn::Join': ['', ['https://', getAtt(dashboard.distribution, 'DomainName'), '/']] };
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: ref(dashboard.userPool),
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [pageUrl, 'http://localhost:4310/'],
      SupportedIdentityProviders: ['COGNITO'],
      WriteAttributes: ['name'],
    });
  });

  test('the dashboard API takes JWTs of that client, issued by that user pool, on every route', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: ref(dashboard.api.httpApi),
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [ref(dashboard.client)],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', ref(dashboard.userPool)],
          ],
        },
      },
    });
    const authorizerId = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'))[0];
    const dashboardRoutes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
    expect(dashboardRoutes).toHaveLength(routes.length);
    for (const route of dashboardRoutes)
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: ref(dashboard.api.httpApi),
      StageName: 'api',
      AutoDeploy: true,
    });
  });

  test('its routes run the same functions as the IAM API', () => {
    for (const fn of Object.values(handlers))
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(fn, 'Arn'),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: {
          'Fn::Join': ['', Match.arrayWith([ref(dashboard.api.httpApi)])],
        },
      });
  });

  test('/api/* goes to the dashboard API: never cached, every viewer header but Host, all methods, HTTPS', () => {
    const behaviour = distributionConfig().CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    const apiOrigin = distributionConfig().Origins.find((o) => o.Id === behaviour?.TargetOriginId);
    expect(apiOrigin).toMatchObject({
      DomainName: {
        'Fn::Join': [
          '',
          [
            ref(dashboard.api.httpApi),
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
          ],
        ],
      },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(behaviour).toMatchObject({
      // The managed CachingDisabled and AllViewerExceptHostHeader policies.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
    });
  });

  test('cdk-nag AwsSolutions reports nothing unacknowledged on it (the stand-in functions aside)', () => {
    const standIns = Object.values(handlers).map((fn) => `${fn.node.path}/`);
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    const findings = report.violations
      .filter((v) => v.severity !== 'info')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .filter((finding) => !standIns.some((path) => finding.includes(` ${path}`)));
    expect(findings).toEqual([]);
    expect(stack.node.tryFindChild('Dashboard')).toBe(dashboard);
  });
});

describe('dashboard hosting: cdk-nag acknowledgments', () => {
  const findingsOf = (acknowledged: boolean) => {
    const checks = new AwsSolutionsChecks(app);
    if (!acknowledged) Object.assign(checks, { isAcknowledged: () => false });
    const standIns = Object.values(handlers).map((fn) => `${fn.node.path}/`);
    return checks
      .validateScope(app)
      .violations.filter((v) => v.severity !== 'info')
      .flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })))
      .filter((finding) => !standIns.some((path) => finding.path.startsWith(path)));
  };
  // cdk-nag's (the CDK acknowledges some CloudFormation-Validate rules of its own).
  const acknowledged = app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          path: construct.node.path,
          reason,
        })),
      )
      .filter((ack) => ack.id.startsWith('AwsSolutions-')),
  );

  test('each is a real finding on the construct that carries it, with its reason (none is stale)', () => {
    const findings = findingsOf(false);
    for (const ack of acknowledged) {
      expect(ack.reason.length, ack.id).toBeGreaterThan(80);
      expect(
        findings.some((f) => f.id === ack.id && f.path.startsWith(`${ack.path}/`)),
        `${ack.id} on ${ack.path}`,
      ).toBe(true);
    }
    for (const finding of findings)
      expect(
        acknowledged.some((a) => a.id === finding.id && finding.path.startsWith(`${a.path}/`)),
        `${finding.id} on ${finding.path}`,
      ).toBe(true);
    // Only the distribution and the CDK's deployment function carry any (cdk-nag takes a bucket that
    // receives access logs as logged).
    const deploymentRole = dashboard.deployment.handlerRole;
    expect(new Set(acknowledged.map((a) => a.path))).toEqual(
      new Set([
        dashboard.distribution.node.path,
        deploymentRole.node.path,
        deploymentRole.node.scope!.node.path,
      ]),
    );
  });
});

describe('dashboard hosting with a custom domain and a web ACL', () => {
  const custom = synthDashboard({
    domain: {
      name: 'convoy.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
    },
    webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/convoy/1',
    authDomainPrefix: 'convoy-example',
  });

  test('serves the domain with its certificate, TLS 1.2 at least, behind the web ACL', () => {
    custom.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['convoy.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/convoy/1',
      }),
    });
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: Match.arrayWith(['https://convoy.example.com/']),
    });
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'convoy-example' });
  });

  test('needs no CloudFront acknowledgment then: cdk-nag finds nothing on the distribution', () => {
    const checks = new AwsSolutionsChecks(custom.app);
    Object.assign(checks, { isAcknowledged: () => false });
    const distributionFindings = checks
      .validateScope(custom.app)
      .violations.filter((v) => v.ruleName.startsWith('AwsSolutions-CFR') && v.severity !== 'info')
      .map((v) => v.ruleName);
    expect(distributionFindings).toEqual(['AwsSolutions-CFR1']);
  });
});
