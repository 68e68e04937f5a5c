// The blob store on Workers: an R2 bucket (binding EVIDENCE in wrangler.toml), objects keyed by content hash.
import type { R2Bucket } from '@cloudflare/workers-types';
import type { BlobStore } from '../services/ports.js';

export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(sha256, bytes) {
      if (await bucket.head(sha256)) return; // the same content is stored once
      await bucket.put(sha256, bytes);
    },
    async get(sha256) {
      const object = await bucket.get(sha256);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
  };
}
