import type { BooleanField, ObjectField, StringField, StringSetField } from '../field';

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
  description: 'A name for people to recognise it by; need not be unique.',
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

/** Delivery health, computed by the service on every read; not part of the Terraform resource. */
export const healthField: ObjectField = {
  type: 'object',
  presence: 'computed',
  apiOnly: true,
  description: 'How delivery is going: status, last success, last error (with the remote\'s request id), backlog.',
  attributes: {
    status: {
      type: 'string',
      presence: 'required',
      enum: ['healthy', 'failing', 'paused'],
      description: '`healthy`, `failing` (the last attempt failed; retrying with backoff) or `paused` (`enabled` is false).',
    },
    last_success_at: { type: 'string', presence: 'optional', format: 'date-time', description: 'When a batch was last delivered.' },
    last_error: {
      type: 'object',
      presence: 'optional',
      description: 'The last failure, kept after recovery for reference.',
      attributes: {
        operation: { type: 'string', presence: 'required', description: 'The call that failed (`AssumeRole`, `PutObject`, …).' },
        code: { type: 'string', presence: 'required', description: 'The remote\'s error code, e.g. `AccessDenied`.' },
        message: { type: 'string', presence: 'required', description: 'The remote\'s message.' },
        http_status: { type: 'integer', presence: 'optional', minimum: 100, maximum: 599, description: 'HTTP status, when there was a response.' },
        request_id: { type: 'string', presence: 'optional', description: 'The remote\'s request id, to quote to its support.' },
        at: { type: 'string', presence: 'optional', format: 'date-time', description: 'When it happened.' },
      },
    },
    backlog: { type: 'integer', presence: 'required', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Events waiting to be delivered.' },
  },
};
