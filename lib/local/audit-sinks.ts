import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from '#domain/audit/event.ts';
import type { Subscriber } from './event-bus.ts';

/** What an event is about, for people: the bundle it moved, the service version, else its subject. */
export const auditTarget = (event: AuditEvent): string => {
  const { bundle, service, version, snapshot } = event.detail;
  if (typeof bundle === 'string') return bundle;
  if (bundle && typeof bundle === 'object' && !Array.isArray(bundle)) {
    const { name, version: bundleVersion } = bundle;
    if (typeof name === 'string' && typeof bundleVersion === 'string') return `${name}@${bundleVersion}`;
  }
  if (typeof service === 'string' && typeof version === 'string') return `${service} ${version}`;
  if (typeof snapshot === 'string') return `snapshot ${snapshot.slice(0, 12)}`;
  return event.subject;
};

/** `audit  prod-eu #7  BundleDeployed  checkout-timeouts@3  by olivia` */
export const auditSummary = (event: AuditEvent): string =>
  `audit  ${event.chain} #${event.seq}  ${event.type}  ${auditTarget(event)}  by ${event.actor}`;

/** Appends one JSON line per event; appends are serialised so lines never interleave. */
export const jsonlAuditSubscriber = (file: string): Subscriber<AuditEvent> => {
  let ready: Promise<unknown> | undefined;
  return async (event) => {
    ready ??= mkdir(dirname(file), { recursive: true });
    await ready;
    await appendFile(file, `${JSON.stringify(event.detail)}\n`, 'utf8');
  };
};
