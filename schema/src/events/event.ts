import type { Fields } from '../field';

export type EventKind = 'audit' | 'authorization';

/** One kind of event the log holds. */
export interface EventSpec {
  kind: EventKind;
  title: string;
  /** Prefix of ids the service assigns when the sender gives none. */
  idPrefix: string;
  description: string;
  fields: Fields;
  /** A rule across fields, returning the offending field and why, or undefined when the event is consistent. */
  refine?: (event: Record<string, unknown>) => { path: string; message: string } | undefined;
}

/** Ids senders choose: letters, digits and `_ . : -`, so they are safe in keys, URLs and logs. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** A dotted action name such as `grant.approved`. */
export const ACTION_NAME_PATTERN = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/;

export const eventIdField = (prefix: string) =>
  ({
    type: 'string',
    presence: 'optional',
    minLength: 1,
    maxLength: 128,
    pattern: { regex: EVENT_ID_PATTERN, message: 'may hold only letters, digits and "_ . : -"' },
    description:
      `Unique id of the event. Re-sending an event with an id already in the log adds nothing. When left out, ` +
      `the service assigns \`${prefix}_…\`.`,
  }) as const;

/** A `{type, id}` reference to a principal, action or resource. */
export function entityRef(description: string, presence: 'required' | 'optional' = 'required') {
  return {
    type: 'object',
    presence,
    description,
    attributes: {
      type: { type: 'string', presence: 'required', minLength: 1, maxLength: 128, description: 'Entity type.' },
      id: { type: 'string', presence: 'required', minLength: 1, maxLength: 512, description: 'Entity id.' },
    },
  } as const;
}
