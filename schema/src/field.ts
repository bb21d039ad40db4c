/**
 * The vocabulary every resource and event is described in.
 *
 * A field says what a value is (its type and limits), who sets it (the user or the server), and how it must be
 * handled (sensitive, encrypted at rest, forces replacement). Validators, the OpenAPI document, the Terraform
 * schema and the docs are all derived from these descriptions; nothing else restates them.
 */

/** Who provides a value: the user must, the user may (a default applies), or only the server does. */
export type Presence = 'required' | 'optional' | 'computed';

interface FieldCommon {
  description: string;
  presence: Presence;
  /** Masked by Terraform and never written to logs. */
  sensitive?: boolean;
  /** Encrypted at rest and never returned by a read of the resource. Implies sensitive. */
  secret?: boolean;
  /** A change to this field cannot be applied in place: Terraform replaces the resource. */
  forceNew?: boolean;
  /** Served by the API but not part of the Terraform resource (values that change on their own). */
  apiOnly?: boolean;
  /**
   * Terraform also offers the field write-only, as `<name>_wo` with a `<name>_wo_version` that sends it again when
   * changed, so the secret never enters plan or state (Terraform 1.11 and later).
   */
  writeOnlyVariant?: boolean;
}

/** The limits a string can carry, on its own or as the item of a set. */
export interface StringConstraints {
  minLength?: number;
  maxLength?: number;
  pattern?: { regex: RegExp; message: string };
  enum?: readonly string[];
  /** `date-time` is an RFC 3339 timestamp; `uri` an absolute http(s) URL. */
  format?: 'date-time' | 'uri';
}

export interface StringField extends FieldCommon, StringConstraints {
  type: 'string';
  default?: string;
}

export interface IntegerField extends FieldCommon {
  type: 'integer';
  default?: number;
  minimum: number;
  maximum: number;
}

export interface BooleanField extends FieldCommon {
  type: 'boolean';
  default?: boolean;
}

/** An unordered set of unique strings (Terraform `set(string)`). */
export interface StringSetField extends FieldCommon {
  type: 'string_set';
  item: StringConstraints;
  maxItems: number;
}

export interface ObjectField extends FieldCommon {
  type: 'object';
  attributes: Fields;
}

/** An ordered list of objects of one shape (Terraform nested attribute, list mode). */
export interface ObjectListField extends FieldCommon {
  type: 'object_list';
  attributes: Fields;
  maxItems: number;
}

/** Free JSON the service stores and forwards without interpreting (an event's `metadata`). */
export interface JsonObjectField extends FieldCommon {
  type: 'json_object';
}

export type Field =
  | StringField
  | IntegerField
  | BooleanField
  | StringSetField
  | ObjectField
  | ObjectListField
  | JsonObjectField;

export type Fields = Readonly<Record<string, Field>>;

/** Rules that involve more than one field; checked on the whole resource after defaults and updates apply. */
export type Constraint =
  /**
   * At most one of the groups may be set (a group counts as set when any of its fields is). A default never sets a
   * group: a field with a default holds it only while no other group is set (`batch_duration_in_minutes` gives way
   * to `batch_duration_in_seconds`).
   */
  | { kind: 'exclusive'; groups: readonly (readonly string[])[] }
  /** Either all of these fields are set or none. */
  | { kind: 'together'; fields: readonly string[] }
  /** `field` may only be set when `when` holds one of `in`. */
  | { kind: 'requires'; field: string; when: string; in: readonly string[] };

/** True when the field, or any attribute nested in it, holds a secret. */
export function holdsSecret(field: Field): boolean {
  if (field.secret) return true;
  if (field.type === 'object' || field.type === 'object_list') {
    return Object.values(field.attributes).some(holdsSecret);
  }
  return false;
}

/** The default a field takes when the user leaves it out, or undefined when it simply stays unset. */
export function defaultOf(field: Field): unknown {
  return 'default' in field ? field.default : undefined;
}
