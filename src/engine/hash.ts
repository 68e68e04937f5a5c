// sha256 over canonical JSON, synchronous and runtime-neutral (Node and Workers).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../domain/canonical.js';

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
