/**
 * Terraform values as the provider handles them: JSON-like JavaScript values (objects for objects, arrays for
 * lists and sets, null for null) plus UNKNOWN, a value Terraform will only know after apply.
 */

/** A value not yet known (Terraform's "known after apply"). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export type Value = null | string | number | boolean | Unknown | Value[] | { [attribute: string]: Value };
export type ObjectValue = { [attribute: string]: Value };

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** True when no part of the value is unknown. */
export function isWhollyKnown(value: Value): boolean {
  if (value === UNKNOWN) return false;
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isWhollyKnown);
  return true;
}

/** Deep equality of two known values, treating arrays as ordered (compare sets with `sameSet`). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i] as Value));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k] ?? null, b[k] ?? null));
  }
  return false;
}
