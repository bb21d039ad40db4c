/**
 * Who may do what. Every API operation has a name (recorded in authorization events) and needs one permission;
 * each role holds a fixed set of permissions.
 */
export const ROLES = ['admin', 'writer', 'reader'] as const;
export type Role = (typeof ROLES)[number];

/** read: see configuration and events; manage: change configuration and read secrets; ingest: append events. */
export type Permission = 'read' | 'manage' | 'ingest' | 'identify';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'manage', 'ingest', 'identify'],
  writer: ['ingest', 'identify'],
  reader: ['read', 'identify'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** An operation a caller asks for, as authorization events name it. */
export interface Operation {
  /** e.g. `s3_log_destination.create`. */
  name: string;
  permission: Permission;
}
