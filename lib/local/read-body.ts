import type { IncomingMessage } from 'node:http';

/** The Lambda invocation payload limit: larger requests never reach a handler on AWS either. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

export type BodyResult =
  | { ok: true; text: string; base64?: true }
  | { ok: false; reason: 'too-large'; bytes: number; declared: boolean };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 text as is; other bytes base64-encoded, as API Gateway delivers them, so the handler sees them. */
export const bodyOf = (bytes: Buffer): { text: string; base64?: true } => {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: bytes.toString('base64'), base64: true };
  }
};

/**
 * Read a request body (UTF-8 text, or base64 when it is not UTF-8), refusing as soon as it is known to
 * exceed `limit`: from Content-Length before reading, else while streaming (the rest is discarded).
 */
export const readBody = (req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<BodyResult> => {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, reason: 'too-large', bytes: declared, declared: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (tooLarge) {
        // Drained, not kept, so the client reads its 413; a sender that does not stop is cut off.
        if (size > limit * 4) req.destroy();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve({ ok: false, reason: 'too-large', bytes: size, declared: false });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve({ ok: true, ...bodyOf(Buffer.concat(chunks)) });
    });
    req.on('error', reject);
  });
};
