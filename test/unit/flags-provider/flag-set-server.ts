import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlagSet } from '#api/flags/flag-set.ts';

/** A real HTTP `GET /environments/{env}/flags` with ETag and 304, serving whatever set the test holds. */
export const startFlagSetServer = async (initial: FlagSet) => {
  let set = initial;
  let failWith: number | undefined;
  const requests: { url: string; ifNoneMatch: string | undefined; status: number }[] = [];
  const server = createServer((req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const status =
      failWith ??
      (req.url !== `/api/environments/${set.environment}/flags` ? 404 : ifNoneMatch === set.etag ? 304 : 200);
    requests.push({ url: req.url ?? '', ifNoneMatch, status });
    res.writeHead(status, { etag: set.etag, 'content-type': 'application/json' });
    res.end(status === 200 ? JSON.stringify(set) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: `http://127.0.0.1:${port}/api`,
    requests,
    serve: (next: FlagSet) => {
      set = next;
    },
    fail: (status: number | undefined) => {
      failWith = status;
    },
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
};
