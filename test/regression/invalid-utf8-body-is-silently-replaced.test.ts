import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiEvent } from '#local/api-event.ts';
import { startApiServer } from '#local/api-server.ts';
import { moduleHandlerLoader } from '#local/lambda-runtime.ts';
import { LocalAlarms } from '#local/local-alarms.ts';
import { bodyOf } from '#local/read-body.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';
import { callRaw } from '../support/raw-call.ts';

/**
 * Symptom (issue 10, item 4): a body holding bytes that are not UTF-8 was decoded leniently, each bad
 * byte silently becoming U+FFFD, and stored so: a window named "caf\xE9" (Latin-1) was saved as
 * "caf\uFFFD". The embedded runtime did the same when it read the request.
 */
describe('regression: invalid UTF-8 in a body was silently replaced', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  /** A window named "café" written in Latin-1: the é is the byte 0xE9, not UTF-8. */
  const latin1Window = (): Uint8Array => Buffer.from(JSON.stringify({ ...yearEnd, name: 'café' }), 'latin1');

  it('a base64 body that is not UTF-8 is a 400 naming the body, and nothing is written', async () => {
    const before = await api.table.dump();
    const res = await callRaw(api.handlers, {
      route: 'POST /freezes',
      headers: { 'content-type': 'application/json' },
      body: latin1Window(),
    });
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      {
        code: 'body.encoding',
        path: 'body',
        message: 'must be UTF-8 text; it holds bytes that are not UTF-8',
      },
    ]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('a text body holding a lone surrogate is refused the same way', async () => {
    const res = await callRaw(api.handlers, {
      route: 'POST /freezes',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...yearEnd, name: 'x' }).replace('"x"', '"\uDC00"'),
    });
    expect(res.status).toBe(400);
    expect(res.json.problems[0]).toMatchObject({ code: 'body.encoding', path: 'body' });
  });

  it('an oversize base64 body is still a 413', async () => {
    const res = await callRaw(api.handlers, {
      route: 'POST /freezes',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array(4 * 1024 * 1024 + 1).fill(0x20),
    });
    expect(res.status).toBe(413);
  });

  it('the embedded runtime passes bytes that are not UTF-8 on as base64, so the handler refuses them', async () => {
    const bytes = Buffer.from(latin1Window());
    const read = bodyOf(bytes);
    expect(read).toEqual({ text: bytes.toString('base64'), base64: true });
    expect(bodyOf(Buffer.from('{"a":"é"}'))).toEqual({ text: '{"a":"é"}' });
    const built = toApiEvent({
      method: 'POST',
      url: '/freezes',
      headers: { 'content-type': 'application/json' },
      body: read.text,
      isBase64Encoded: read.base64 === true,
      principal: 'olivia',
    });
    if (built.kind !== 'route') throw new Error('no route');
    expect(built.event.isBase64Encoded).toBe(true);
    const res = await api.handlers.freezes(built.event, {} as never);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ problems: [{ code: 'body.encoding' }] });
  });

  describe('over HTTP, through the embedded runtime', () => {
    let server: Awaited<ReturnType<typeof startApiServer>>;
    beforeAll(async () => {
      server = await startApiServer({
        port: 0,
        loadHandler: moduleHandlerLoader(() => api.deps),
        alarms: new LocalAlarms(),
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it('a catalog with a byte that is not UTF-8 is refused, not stored with U+FFFD', async () => {
      const before = await api.table.dump();
      const body = Buffer.concat([
        Buffer.from(fixtureCatalogYaml),
        Buffer.from('# caf'),
        Buffer.from([0xe9, 0x0a]),
      ]);
      const res = await fetch(`${server.url}/catalog`, {
        method: 'PUT',
        headers: { 'content-type': 'application/yaml', 'x-convoy-principal': 'olivia' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ problems: [{ code: 'body.encoding', path: 'body' }] });
      expect(await api.table.dump()).toEqual(before);
    });

    it('so is a local alarm body that is not UTF-8', async () => {
      const res = await fetch(`${server.url}/local/monitoring`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from([0x7b, 0xff, 0x7d]),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ problems: [{ code: 'body.encoding', path: 'body' }] });
    });
  });
});
