import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; service name and level come from POWERTOOLS_* variables in Lambda. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'convoy' });
