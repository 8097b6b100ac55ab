import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from '../domain/audit/event.ts';
import type { Subscriber } from './event-bus.ts';

/** What an event is about, for people: the bundle it moved if any, else its subject. */
const target = (event: AuditEvent): string => {
  const bundle = event.detail.bundle;
  if (typeof bundle === 'string') return bundle;
  if (bundle && typeof bundle === 'object' && !Array.isArray(bundle)) {
    const { name, version } = bundle;
    if (typeof name === 'string' && typeof version === 'string') return `${name}@${version}`;
  }
  return event.subject;
};

/** `audit  prod-eu #7  BundleDeployed  checkout-timeouts@3  by olivia` */
export const auditSummary = (event: AuditEvent): string =>
  `audit  ${event.chain} #${event.seq}  ${event.type}  ${target(event)}  by ${event.actor}`;

export const consoleAuditSubscriber =
  (write: (line: string) => void): Subscriber<AuditEvent> =>
  (event) => {
    write(auditSummary(event.detail));
  };

/** Appends one JSON line per event; appends are serialised so lines never interleave. */
export const jsonlAuditSubscriber = (file: string): Subscriber<AuditEvent> => {
  let ready: Promise<unknown> | undefined;
  return async (event) => {
    ready ??= mkdir(dirname(file), { recursive: true });
    await ready;
    await appendFile(file, `${JSON.stringify(event.detail)}\n`, 'utf8');
  };
};
