import type { EventSpec } from './event';
import { ACTION_NAME_PATTERN, eventIdField } from './event';

export const auditEvent: EventSpec = {
  kind: 'audit',
  title: 'audit event',
  idPrefix: 'evt',
  description: 'Something a person or a system did, in the shape Common Fate audit logs use.',
  fields: {
    id: eventIdField('evt'),
    action: {
      type: 'string',
      presence: 'required',
      minLength: 1,
      maxLength: 256,
      pattern: { regex: ACTION_NAME_PATTERN, message: 'must be a dotted action name such as "grant.approved"' },
      description: 'What happened, as a dotted name (`grant.approved`).',
    },
    occurred_at: {
      type: 'string',
      presence: 'required',
      format: 'date-time',
      description: 'When it happened (RFC 3339). Key templates use it, in UTC.',
    },
    actor: {
      type: 'object',
      presence: 'required',
      description: 'Who did it.',
      attributes: {
        type: { type: 'string', presence: 'required', minLength: 1, maxLength: 128, description: 'Kind of actor (`user`, `bot`).' },
        id: { type: 'string', presence: 'required', minLength: 1, maxLength: 512, description: 'Actor id.' },
        name: { type: 'string', presence: 'optional', maxLength: 512, description: 'Display name.' },
        email: { type: 'string', presence: 'optional', maxLength: 512, description: 'Email address.' },
      },
    },
    targets: {
      type: 'object_list',
      presence: 'optional',
      maxItems: 100,
      description: 'What it was done to.',
      attributes: {
        type: { type: 'string', presence: 'required', minLength: 1, maxLength: 128, description: 'Target type.' },
        id: { type: 'string', presence: 'required', minLength: 1, maxLength: 512, description: 'Target id.' },
      },
    },
    message: { type: 'string', presence: 'optional', maxLength: 4096, description: 'A sentence for people.' },
    context: {
      type: 'object',
      presence: 'optional',
      description: 'Where the action came from and which authorization decision allowed it.',
      attributes: {
        request: {
          type: 'object',
          presence: 'optional',
          description: 'The request that caused the event.',
          attributes: {
            client_addr: { type: 'string', presence: 'optional', maxLength: 128, description: 'Client address.' },
            user_agent: { type: 'string', presence: 'optional', maxLength: 1024, description: 'Client user agent.' },
          },
        },
        authz: {
          type: 'object',
          presence: 'optional',
          description: 'The authorization decision behind the action.',
          attributes: {
            eval: { type: 'string', presence: 'optional', maxLength: 128, description: 'Id of the authorization event.' },
          },
        },
      },
    },
    caller_identity_chain: {
      type: 'object_list',
      presence: 'optional',
      maxItems: 20,
      description: 'The identities the call passed through, outermost first (e.g. a user acting through a bot).',
      attributes: {
        type: { type: 'string', presence: 'required', minLength: 1, maxLength: 128, description: 'Identity type.' },
        id: { type: 'string', presence: 'required', minLength: 1, maxLength: 512, description: 'Identity id.' },
      },
    },
    index: {
      type: 'string',
      presence: 'optional',
      maxLength: 256,
      description: 'A key the sender groups its events by (a workspace, an environment); delivered unchanged.',
    },
    metadata: {
      type: 'json_object',
      presence: 'optional',
      description: 'Any further JSON the sender attaches; stored and delivered unchanged.',
    },
  },
};
