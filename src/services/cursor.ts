// The list cursor: a newest-first position (created_at, id), opaque to clients (base64url).
import { DomainError } from '../domain/errors.js';

export interface ListPosition {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(position: ListPosition): string {
  return btoa(`${position.createdAt}|${position.id}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeCursor(cursor: string): ListPosition {
  try {
    const text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const [createdAt, id, ...rest] = text.split('|');
    if (!createdAt || !id || rest.length > 0 || Number.isNaN(Date.parse(createdAt))) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw new DomainError('BAD_REQUEST', '分页游标 cursor 无效', [{ path: 'cursor', message: '请使用上一页返回的 nextCursor' }]);
  }
}
