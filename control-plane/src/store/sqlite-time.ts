/**
 * SQLite DATETIME values in the text form Prisma's better-sqlite3 adapter writes and compares
 * (`YYYY-MM-DDTHH:MM:SS.mmm+00:00`), for the statements written by hand, so both read each other's rows.
 */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
