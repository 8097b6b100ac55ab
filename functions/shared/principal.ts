import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConvoyError } from '#domain/core/errors.ts';

export interface IamAuthorizerContext {
  iam?: { userArn?: string | null };
}

/** What API Gateway's JWT authorizer (the dashboard API, Cognito tokens) puts in the request context. */
export interface JwtAuthorizerContext {
  jwt?: { claims?: Record<string, unknown> };
}

/**
 * The claims naming a Cognito user's catalog principal, in order: the `custom:principal` attribute
 * (only administrators can set it), then the user name.
 */
export const PRINCIPAL_CLAIMS = ['custom:principal', 'cognito:username'] as const;

/**
 * The caller: the IAM principal API Gateway authenticated (the embedded server sets the same field), or
 * for a JWT-authorized request (the dashboard on AWS) the principal its token's claims name.
 */
export const principalOf = (event: APIGatewayProxyEventV2): string => {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: IamAuthorizerContext & JwtAuthorizerContext;
  };
  const principal = context.authorizer?.iam?.userArn;
  if (principal) return principal;
  const claims = context.authorizer?.jwt?.claims;
  if (claims) {
    for (const claim of PRINCIPAL_CLAIMS) {
      const value = claims[claim];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
    throw new ConvoyError(
      'forbidden',
      `The token names no catalog principal: it carries neither ${PRINCIPAL_CLAIMS.join(' nor ')}. ` +
        'Ask an administrator to set custom:principal on your user.',
    );
  }
  throw new ConvoyError('forbidden', 'The request carries no authenticated principal.');
};
