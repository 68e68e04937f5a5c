// The blob store on Node: files in a folder by content hash (<dir>/<first two hex digits>/<sha256>), written once through
// a temporary file and a rename, so a reader never sees half a file.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../services/ports.js';
import { randomHex } from '../services/deps.js';

const HASH = /^[0-9a-f]{64}$/;

export function folderBlobStore(dir: string): BlobStore {
  const pathOf = (sha256: string) => {
    if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(dir, sha256.slice(0, 2), sha256);
  };
  return {
    async put(sha256, bytes) {
      const path = pathOf(sha256);
      if (existsSync(path)) return; // the same content is stored once
      await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${randomHex(6)}.part`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}
