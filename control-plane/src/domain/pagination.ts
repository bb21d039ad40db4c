/**
 * Cursor pagination: a page holds up to `limit` items and an opaque cursor that resumes after the last one.
 */
import { ApiError } from '../errors';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(position: string): string {
  return Buffer.from(`v1:${position}`, 'utf8').toString('base64url');
}

/**
 * The position a cursor holds. A cursor this API did not hand out is refused (422): not base64url of `v1:` and a
 * position, or a position `isPosition` does not accept. Lists pass the shape of the positions they hand out, so a
 * forged one never reaches a query (PostgreSQL cannot even compare a string holding NUL).
 */
/*
 * A cursor may be up to 6,000 characters: a position can hold an S3 object's key (up to 1,024 characters, of up to
 * four UTF-8 bytes each), which base64 makes a third longer.
 */
export function decodeCursor(cursor: string, isPosition: (position: string) => boolean = () => true): string {
  const text = /^[A-Za-z0-9_-]{1,6000}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('v1:') || text.length <= 3 || !isPosition(text.slice(3))) {
    throw ApiError.validation([{ path: 'cursor', message: 'is not a cursor this API returned' }], 'query');
  }
  return text.slice(3);
}
