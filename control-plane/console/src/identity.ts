/**
 * The tenant's identity for IAM: its external id and the service's AWS principal, and the trust policy a customer's
 * role needs, ready to copy.
 */
import { api } from './api.js';
import { h, replace } from './dom.js';

interface Identity {
  tenant_id: string;
  external_id: string;
  aws_principal_arn: string;
}

export function trustPolicy(identity: Identity): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: identity.aws_principal_arn || '<the service principal: AUDITDRAIN_AWS_PRINCIPAL_ARN>' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': identity.external_id } },
        },
      ],
    },
    null,
    2,
  );
}

export async function identityPage(main: HTMLElement): Promise<void> {
  const identity = await api<Identity>('GET', '/v1/identity');
  const policy = trustPolicy(identity);
  const copied = h('span', { role: 'status', class: 'muted' });
  const copy = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        navigator.clipboard.writeText(policy).then(
          () => (copied.textContent = 'Copied.'),
          () => (copied.textContent = 'Copying is not allowed here: select the text and copy it.'),
        );
      },
    },
    'Copy trust policy',
  );
  replace(
    main,
    h('h1', {}, 'Identity'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Tenant'),
      h('dd', {}, h('code', {}, identity.tenant_id)),
      h('dt', {}, 'External id'),
      h('dd', {}, h('code', { id: 'external-id' }, identity.external_id)),
      h('dt', {}, 'Service principal'),
      h('dd', {}, identity.aws_principal_arn ? h('code', { id: 'principal' }, identity.aws_principal_arn) : h('span', { class: 'muted' }, 'not configured on this server')),
    ),
    h('h2', {}, 'Trust policy for your S3 writer role'),
    h('p', {}, 'Attach it to the IAM role auditdrain assumes to write into your bucket: only this service, and only for this tenant.'),
    h('pre', { id: 'trust-policy', tabindex: '0', 'aria-label': 'Trust policy JSON' }, policy),
    h('div', { class: 'row' }, copy, copied),
  );
}
