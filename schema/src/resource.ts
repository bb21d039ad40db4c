import type { Constraint, Fields } from './field';

/** A resource users manage through the API and Terraform. */
export interface ResourceSpec {
  /** Snake-case name; the Terraform type is `auditdrain_<name>`. */
  name: string;
  /** Human title, singular ("S3 log destination"). */
  title: string;
  /** Prefix of the resource's ids (`s3d` gives `s3d_…`). */
  idPrefix: string;
  /** The collection's path in the REST API. */
  collectionPath: string;
  /** The operation-name stem used in authorization events and OpenAPI operation ids. */
  operationStem: string;
  description: string;
  fields: Fields;
  constraints: readonly Constraint[];
  /** Extra checks on a single field that a declarative limit cannot say (e.g. template syntax). */
  checks?: Readonly<Record<string, FieldCheck>>;
}

/** A check of one field's value: undefined when fine, else why not (optionally where inside the value). */
export type FieldCheck = (value: unknown) => string | { path: PropertyKey[]; message: string } | undefined;

/** A read-only object the API serves and Terraform reads as a data source. */
export interface DataSourceSpec {
  name: string;
  title: string;
  path: string;
  description: string;
  fields: Fields;
}

/** Fields the user may send on create or update (everything the server does not compute). */
export function writableFields(spec: { fields: Fields }): [string, Fields[string]][] {
  return Object.entries(spec.fields).filter(([, f]) => f.presence !== 'computed');
}

/** The Terraform type name of a resource or data source. */
export function terraformTypeName(spec: { name: string }): string {
  return `auditdrain_${spec.name}`;
}
