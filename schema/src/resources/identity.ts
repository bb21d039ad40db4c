import type { DataSourceSpec } from '../resource';

export const identity: DataSourceSpec = {
  name: 'identity',
  title: 'identity',
  path: '/v1/identity',
  description:
    "Who the caller is to the service and who the service is to AWS: what an IAM role's trust policy needs to let " +
    'auditdrain write into a bucket.',
  fields: {
    tenant_id: { type: 'string', presence: 'computed', description: 'The tenant the API key belongs to (`tnt_…`).' },
    external_id: {
      type: 'string',
      presence: 'computed',
      description: 'The external id auditdrain sends with AssumeRole for this tenant; use it as `sts:ExternalId`.',
    },
    aws_principal_arn: {
      type: 'string',
      presence: 'computed',
      description:
        "ARN of the AWS principal the service runs as; the role's trust policy names it. Empty when the operator " +
        'has not configured one.',
    },
  },
};
