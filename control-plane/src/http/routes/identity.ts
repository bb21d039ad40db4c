import type { Router } from 'express';
import { getIdentity } from '../../domain/identity/get-identity';
import { authorize } from '../access';
import { parseQuery } from '../query';
import type { RouteDeps } from './resource-routes';

/** `/v1/identity`: what an IAM trust policy needs (tenant, external id, the service's AWS principal). */
export function registerIdentityRoutes(router: Router, deps: RouteDeps & { awsPrincipalArn: string | null }): void {
  router.get('/v1/identity', authorize(deps.ctx.db, { name: 'identity.get', permission: 'identify' }), (req, res) => {
    parseQuery({}, req);
    res.json(getIdentity(req.caller!.tenantId, deps.awsPrincipalArn));
  });
}
