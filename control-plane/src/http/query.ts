/**
 * Query strings, validated like bodies: unknown parameters are refused so a typo is not silently ignored.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { issuesFromZod } from '@auditdrain/schema';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination';
import { ApiError } from '../errors';

export const pageQuery = {
  limit: z
    .string({ error: 'must be given once' })
    .regex(/^\d+$/, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .transform(Number)
    .pipe(z.number().min(1, { error: 'must be at least 1' }).max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` }))
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string({ error: 'must be given once' }).optional(),
};

export function parseQuery<T extends z.ZodRawShape>(shape: T, req: Parameters<RequestHandler>[0]): z.infer<z.ZodObject<T>> {
  const parsed = z.strictObject(shape).safeParse(req.query);
  if (!parsed.success) throw ApiError.validation(issuesFromZod(parsed.error), 'query');
  return parsed.data;
}
