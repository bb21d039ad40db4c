/** `auditdrain_identity`: the caller's tenant, its external id and the service's AWS principal, for trust policies. */
import { identity, resourceTerraformSchema, terraformTypeName } from '@auditdrain/schema';
import type { ApiClient } from '../api-client';
import { blockType } from '../values/terraform-type';
import type { ObjectValue, Value } from '../values/value';

export const identityDataSource = {
  typeName: terraformTypeName(identity),
  type: blockType(resourceTerraformSchema(identity).block),
  async read(client: ApiClient): Promise<ObjectValue> {
    const answer = (await client.get<Record<string, unknown>>(identity.path, 'read the identity')) ?? {};
    const state: ObjectValue = {};
    for (const name of Object.keys(identity.fields)) state[name] = (answer[name] ?? null) as Value;
    return state;
  },
};
