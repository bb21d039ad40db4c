import type { Router } from 'express';
import { s3LogDestinationKind } from '../../domain/resources/resource-kind';
import { testResource } from '../../domain/resources/test-resource';
import { authorize } from '../access';
import { pageQuery, parseQuery } from '../query';
import { listS3Objects } from '../../domain/deliveries/list-s3-objects';
import type { RouteDeps } from './resource-routes';
import { itemOf, registerResourceRoutes } from './resource-routes';

/** `/v1/s3-log-destinations`: the contract is the `s3_log_destination` description in @auditdrain/schema. */
export function registerS3LogDestinationRoutes(router: Router, deps: RouteDeps): void {
  registerResourceRoutes(router, s3LogDestinationKind, deps);

  // The same test delivery create and update run: a small object under <key_prefix>/test/.
  router.post(
    `${s3LogDestinationKind.spec.collectionPath}/:id/test`,
    authorize(deps.ctx.db, { name: 's3_log_destination.test', permission: 'manage' }, itemOf(s3LogDestinationKind)),
    async (req, res) => {
      parseQuery({}, req);
      res.json(await testResource(deps.ctx, s3LogDestinationKind, req.caller!.tenantId, String(req.params.id)));
    },
  );

  // The delivery log: the objects written, newest first.
  router.get(
    `${s3LogDestinationKind.spec.collectionPath}/:id/deliveries`,
    authorize(deps.ctx.db, { name: 's3_log_destination.list_deliveries', permission: 'read' }, itemOf(s3LogDestinationKind)),
    async (req, res) => {
      const page = parseQuery(pageQuery, req);
      res.json(await listS3Objects(deps.ctx.db, req.caller!.tenantId, String(req.params.id), page));
    },
  );
}
