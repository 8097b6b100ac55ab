import type { ApiClient } from '#api/client.ts';

/**
 * "Now" as the API's clock tells it (`GET /health` answers `now`), so that `--start now` and a report
 * up to now mean the server's now, which the embedded runtime may pin (`convoy up --clock`). Falls
 * back to this machine's clock when the API does not say; an unreachable API fails the next call.
 */
export const serverClock = async (client: ApiClient): Promise<() => Date> => {
  const sent = Date.now();
  const health = await client.call<{ now?: unknown }>('GET', '/health').catch((): { now?: unknown } => ({}));
  const at = typeof health.now === 'string' ? Date.parse(health.now) : Number.NaN;
  if (!Number.isFinite(at)) return () => new Date();
  // The answer was stamped somewhere between sending and receiving it: take the middle.
  const offset = at - Math.round((sent + Date.now()) / 2);
  return () => new Date(Date.now() + offset);
};
