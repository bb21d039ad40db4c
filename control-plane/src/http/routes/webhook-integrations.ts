import type { Router } from 'express';
import { getSigningSecret } from '../../domain/resources/get-signing-secret';
import { webhookIntegrationKind } from '../../domain/resources/resource-kind';
import { authorize } from '../access';
import type { RouteDeps } from './resource-routes';
import { itemOf, registerResourceRoutes } from './resource-routes';

/** `/v1/webhook-integrations`: the contract is the `webhook_integration` description in @auditdrain/schema. */
export function registerWebhookIntegrationRoutes(router: Router, deps: RouteDeps): void {
  registerResourceRoutes(router, webhookIntegrationKind, deps);

  // The signing secret is never part of a read; only admins may fetch it, from its own endpoint.
  router.get(
    `${webhookIntegrationKind.spec.collectionPath}/:id/signing-secret`,
    authorize(deps.ctx.db, { name: 'webhook_integration.read_signing_secret', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      res.setHeader('cache-control', 'no-store');
      res.json(await getSigningSecret(deps.ctx, req.caller!.tenantId, String(req.params.id)));
    },
  );
}
