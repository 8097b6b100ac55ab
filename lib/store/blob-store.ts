import { createHash } from 'node:crypto';
import { ConvoyError, notFound } from '#domain/core/errors.ts';
import { canonicalJson } from '#domain/core/json.ts';
import { expr } from './expressions.ts';
import { itemTypes, keys } from './keys.ts';
import { internal } from './sdk-errors.ts';
import type { Item, TableClient } from './table-client.ts';

/** Chunk payload size: with keys and attributes an item stays well under DynamoDB's 400 KB limit. */
export const BLOB_CHUNK_BYTES = 350_000;
const PARALLEL_WRITES = 4;
const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Verified documents kept per store (a warm Lambda, the embedded runtime): at most this many bytes. */
const CACHE_BYTES = 32 * 1024 * 1024;

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Content-addressed, chunked JSON documents (snapshots, catalogs, bundle documents).
 *
 * A document is its canonical JSON as UTF-8 bytes, addressed by their sha256 (= contentHash of the
 * value). The bytes go to Binary chunk items first; the manifest `{ chunks, bytes }` is written LAST and
 * conditionally, so a blob is visible only once complete. A crash in between leaves invisible chunks that
 * the next write of the same content overwrites with identical bytes: same content, same address, the
 * write is idempotent. Verified reads are cached by address (immutable, so never stale).
 */
export class BlobStore {
  readonly table: TableClient;
  /**
   * Documents read and verified, by address, least recently used first. An address names its bytes
   * forever (blobs are never rewritten or deleted), so a cached document can never be stale.
   */
  private readonly cache = new Map<string, string>();
  private cachedBytes = 0;

  constructor(table: TableClient) {
    this.table = table;
  }

  private remember(hash: string, text: string): void {
    if (text.length > CACHE_BYTES) return;
    this.cache.set(hash, text);
    this.cachedBytes += text.length;
    for (const [oldest, value] of this.cache) {
      if (this.cachedBytes <= CACHE_BYTES) break;
      this.cache.delete(oldest);
      this.cachedBytes -= value.length;
    }
  }

  async exists(hash: string): Promise<boolean> {
    return HASH_PATTERN.test(hash) && (await this.table.get(keys.blobManifest(hash))) !== undefined;
  }

  /** Store `value`; returns its address. */
  async putJson(value: unknown): Promise<string> {
    const bytes = Buffer.from(canonicalJson(value), 'utf8');
    const hash = sha256(bytes);
    if (await this.exists(hash)) return hash;
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length || chunks.length === 0; offset += BLOB_CHUNK_BYTES) {
      chunks.push(bytes.subarray(offset, offset + BLOB_CHUNK_BYTES));
    }
    let next = 0;
    const writer = async (): Promise<void> => {
      for (let index = next++; index < chunks.length; index = next++) {
        const data = chunks[index] ?? Buffer.alloc(0);
        const digest = sha256(data);
        const item: Item = { ...keys.blobChunk(hash, index), type: itemTypes.blobChunk, data, sha: digest };
        // Identical bytes may already be there (an interrupted earlier write): that is fine.
        const written = await this.table.putIf(
          item,
          expr('attribute_not_exists(#pk) OR #sha = :sha', { sha: digest }),
        );
        if (!written) throw internal(new Error(`blob ${hash} chunk ${index} holds different bytes`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, chunks.length) }, writer));
    const manifest: Item = {
      ...keys.blobManifest(hash),
      type: itemTypes.blobManifest,
      hash,
      chunks: chunks.length,
      bytes: bytes.length,
    };
    const complete = await this.table.putIf(
      manifest,
      expr('attribute_not_exists(#pk) OR (#chunks = :chunks AND #bytes = :bytes)', {
        chunks: chunks.length,
        bytes: bytes.length,
      }),
    );
    if (!complete) throw internal(new Error(`blob ${hash} has a different manifest`));
    return hash;
  }

  /** Read and verify a document. Missing or incomplete: ConvoyError `not-found`. */
  async getJson(hash: string): Promise<unknown> {
    const missing = (): ConvoyError => notFound(`No content with hash ${hash} is stored.`, { hash });
    if (!HASH_PATTERN.test(hash)) throw missing();
    const cached = this.cache.get(hash);
    if (cached !== undefined) {
      this.cache.delete(hash);
      this.cache.set(hash, cached);
      // A fresh object each time: callers may change what they get.
      return JSON.parse(cached) as unknown;
    }
    const manifest = await this.table.get(keys.blobManifest(hash));
    if (!manifest) throw missing();
    const { items } = await this.table.query({
      keyCondition: expr('#pk = :pk AND begins_with(#sk, :prefix)', {
        pk: keys.blobPartition(hash),
        prefix: keys.blobChunkPrefix,
      }),
    });
    const expected = Number(manifest.chunks);
    const parts: Uint8Array[] = [];
    for (const [index, item] of items.entries()) {
      if (index >= expected || item.sk !== keys.blobChunk(hash, index).sk) break;
      if (item.data instanceof Uint8Array) parts.push(item.data);
    }
    if (parts.length !== expected) throw missing();
    const bytes = Buffer.concat(parts);
    if (bytes.length !== Number(manifest.bytes) || sha256(bytes) !== hash) {
      throw internal(new Error(`blob ${hash} failed its integrity check`));
    }
    const text = bytes.toString('utf8');
    this.remember(hash, text);
    return JSON.parse(text) as unknown;
  }
}
