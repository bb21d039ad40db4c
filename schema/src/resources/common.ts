import type { BooleanField, StringField, StringSetField } from '../field';

/** Fields every resource has; the id comes first and the timestamps last. */
export function idField(prefix: string, title: string): StringField {
  return {
    type: 'string',
    presence: 'computed',
    description: `Identifier of the ${title}, \`${prefix}_\` followed by 26 characters.`,
  };
}

export const createdAtField: StringField = {
  type: 'string',
  format: 'date-time',
  presence: 'computed',
  description: 'When the resource was created (RFC 3339, UTC).',
};

export const updatedAtField: StringField = {
  type: 'string',
  format: 'date-time',
  presence: 'computed',
  apiOnly: true,
  description: 'When the resource was last changed (RFC 3339, UTC).',
};

export const nameField: StringField = {
  type: 'string',
  presence: 'required',
  minLength: 1,
  maxLength: 128,
  description: 'A name for people to recognise the destination by; need not be unique.',
};

/** An action name, or a prefix ending in `.*` that matches every action below it (`grant.*`). */
export const ACTION_PATTERN = /^(\*|[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*(\.\*)?)$/;

export const filterForActionsField: StringSetField = {
  type: 'string_set',
  presence: 'optional',
  maxItems: 100,
  item: {
    minLength: 1,
    maxLength: 256,
    pattern: {
      regex: ACTION_PATTERN,
      message: 'must be an action such as "grant.approved" or a prefix such as "grant.*"',
    },
  },
  description:
    'Only events whose action is listed are delivered; an entry ending in `.*` matches every action under that ' +
    'prefix (`grant.*` matches `grant.approved`). Empty or unset delivers every action.',
};

export const sendAuditLogEventsField: BooleanField = {
  type: 'boolean',
  presence: 'optional',
  default: true,
  description: 'Deliver audit-log events.',
};

export const sendAuthorizationEventsField: BooleanField = {
  type: 'boolean',
  presence: 'optional',
  default: false,
  description: 'Deliver authorization events (one for every authorization decision).',
};

export const enabledField: BooleanField = {
  type: 'boolean',
  presence: 'optional',
  default: true,
  description: 'Whether delivery runs. When false, delivery pauses and events keep accruing for later.',
};
