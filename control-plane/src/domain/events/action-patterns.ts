/**
 * Action patterns, as `filter_for_actions` and `GET /v1/events?action=` take them: an exact action, a prefix
 * ending in `.*` (`grant.*` matches `grant.approved`), or `*` for every action.
 *
 * A prefix becomes SQL `LIKE` through Prisma's `startsWith`, which does not escape `_` (a wildcard there), so a
 * prefix holding `_` can over-match: rows of such a query are re-checked with `matchesActions`.
 */

/** null: every action. */
export type ActionPatterns = readonly string[] | null;

/** The patterns with `*` (or none at all) read as "every action". */
export function actionPatternsOf(patterns: readonly string[] | undefined | null): ActionPatterns {
  return !patterns || patterns.length === 0 || patterns.includes('*') ? null : patterns;
}

export function matchesActions(patterns: ActionPatterns, action: string): boolean {
  if (patterns === null) return true;
  return patterns.some((p) => (p.endsWith('.*') ? action.startsWith(p.slice(0, -1)) : action === p));
}

/** The patterns as a query condition; may over-match when `needsRecheck`. */
export function actionsWhere(patterns: ActionPatterns) {
  if (patterns === null) return {};
  return { OR: patterns.map((p) => (p.endsWith('.*') ? { action: { startsWith: p.slice(0, -1) } } : { action: p })) };
}

/** Whether rows of `actionsWhere` must be re-checked with `matchesActions`. */
export function needsRecheck(patterns: ActionPatterns): boolean {
  return patterns !== null && patterns.some((p) => p.endsWith('.*') && p.includes('_'));
}

/**
 * The patterns as an exact SQL condition on the `action` column, for hand-written queries: prefixes become
 * `LIKE … ESCAPE '\'` with `%`, `_` and `\` escaped, so nothing over-matches (LIKE must be case-sensitive:
 * PostgreSQL's is; SQLite connections set `case_sensitive_like`). `param(value)` returns the placeholder for a
 * value it records. null: no condition.
 */
export function actionsSql(patterns: ActionPatterns, param: (value: string) => string): string | null {
  if (patterns === null) return null;
  const terms = patterns.map((p) =>
    p.endsWith('.*') ? `"action" LIKE ${param(p.slice(0, -1).replace(/[\\%_]/g, '\\$&') + '%')} ESCAPE '\\'` : `"action" = ${param(p)}`,
  );
  return `(${terms.join(' OR ')})`;
}
