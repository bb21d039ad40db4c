import { externalIdOf } from '../tenants/create-tenant';

export interface IdentityOut {
  tenant_id: string;
  external_id: string;
  aws_principal_arn: string;
}

export function getIdentity(tenantId: string, awsPrincipalArn: string | null): IdentityOut {
  return { tenant_id: tenantId, external_id: externalIdOf(tenantId), aws_principal_arn: awsPrincipalArn ?? '' };
}
