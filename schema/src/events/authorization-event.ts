import type { EventSpec } from './event';
import { entityRef, eventIdField } from './event';

export const authorizationEvent: EventSpec = {
  kind: 'authorization',
  title: 'authorization event',
  idPrefix: 'eval',
  description:
    'One authorization decision: who asked to do what to which resource, and whether it was allowed. The ' +
    'service records one for every API call it authorizes and accepts them from other systems.',
  fields: {
    id: eventIdField('eval'),
    request: {
      type: 'object',
      presence: 'required',
      description: 'What was asked.',
      attributes: {
        principal: entityRef('Who asked (for the API: the API key).'),
        action: entityRef('The operation asked for.'),
        resource: entityRef('What the operation applies to.'),
        context: { type: 'json_object', presence: 'optional', description: 'Further facts the decision considered.' },
      },
    },
    decision: {
      type: 'string',
      presence: 'required',
      enum: ['allow', 'deny'],
      description: 'The decision.',
    },
    allowed: { type: 'boolean', presence: 'required', description: 'True exactly when `decision` is `allow`.' },
    diagnostics: {
      type: 'object',
      presence: 'optional',
      description: 'Why the decision came out as it did.',
      attributes: {
        reason: { type: 'string', presence: 'optional', maxLength: 4096, description: 'The rule or policy that decided.' },
        errors: {
          type: 'string_set',
          presence: 'optional',
          maxItems: 50,
          item: { maxLength: 4096 },
          description: 'Errors met while evaluating.',
        },
      },
    },
    evaluated_at: {
      type: 'string',
      presence: 'required',
      format: 'date-time',
      description: 'When the decision was made (RFC 3339).',
    },
    evaluation_duration: {
      type: 'integer',
      presence: 'optional',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'How long the evaluation took, in nanoseconds.',
    },
  },
  refine: (event) =>
    (event.decision === 'allow') === event.allowed
      ? undefined
      : { path: 'allowed', message: `must be ${event.decision === 'allow'} when decision is "${String(event.decision)}"` },
};
