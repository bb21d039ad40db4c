import type { Router } from 'express';
import { z } from 'zod';
import { issuesFromZod } from '@auditdrain/schema';
import { getSigningSecret } from '../../domain/resources/get-signing-secret';
import { rotateSigningSecret } from '../../domain/resources/signing-secrets';
import { DELIVERY_STATUSES, getDelivery, listDeliveries } from '../../domain/webhooks/list-deliveries';
import { replayDeliveries, retryDelivery } from '../../domain/webhooks/resend';
import { testWebhook } from '../../domain/webhooks/test-webhook';
import { ApiError } from '../../errors';
import { bodyOf, jsonBody } from '../json-body';
import { pageQuery, parseQuery } from '../query';
import { webhookIntegrationKind } from '../../domain/resources/resource-kind';
import { authorize } from '../access';
import type { RouteDeps } from './resource-routes';
import { itemOf, registerResourceRoutes } from './resource-routes';

const replayBody = z.strictObject({
  since: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' }),
});

/** `/v1/webhook-integrations`: the contract is the `webhook_integration` description in @auditdrain/schema. */
export function registerWebhookIntegrationRoutes(router: Router, deps: RouteDeps): void {
  registerResourceRoutes(router, webhookIntegrationKind, deps);

  // The signing secret is never part of a read; only admins may fetch it, from its own endpoint.
  router.get(
    `${webhookIntegrationKind.spec.collectionPath}/:id/signing-secret`,
    authorize(deps.ctx.db, { name: 'webhook_integration.read_signing_secret', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      parseQuery({}, req);
      res.setHeader('cache-control', 'no-store');
      res.json(await getSigningSecret(deps.ctx, req.caller!.tenantId, String(req.params.id)));
    },
  );

  const item = `${webhookIntegrationKind.spec.collectionPath}/:id`;
  const { db } = deps.ctx;

  // A new signing secret; the previous one keeps signing too for a day, so receivers can switch over.
  router.post(
    `${item}/rotate-secret`,
    authorize(db, { name: 'webhook_integration.rotate_secret', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      parseQuery({}, req);
      res.setHeader('cache-control', 'no-store');
      res.json(await rotateSigningSecret(deps.ctx, req.caller!.tenantId, String(req.params.id)));
    },
  );

  router.get(
    `${item}/deliveries`,
    authorize(db, { name: 'webhook_integration.list_deliveries', permission: 'read' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      const query = parseQuery({ ...pageQuery, status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(', ')}` }).optional() }, req);
      res.json(await listDeliveries(db, req.caller!.tenantId, String(req.params.id), query));
    },
  );

  router.post(
    `${item}/deliveries/:delivery_id/retry`,
    authorize(db, { name: 'webhook_integration.retry_delivery', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      parseQuery({}, req);
      res.status(202).json(await retryDelivery(db, req.caller!.tenantId, String(req.params.id), String(req.params.delivery_id)));
    },
  );

  router.post(
    `${item}/replay`,
    authorize(db, { name: 'webhook_integration.replay', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    ...jsonBody(deps.maxBodyBytes),
    async (req, res) => {
      parseQuery({}, req);
      const parsed = replayBody.safeParse(bodyOf(req));
      if (!parsed.success) throw ApiError.validation(issuesFromZod(parsed.error));
      res.status(202).json(await replayDeliveries(db, deps.ctx.box, req.caller!.tenantId, String(req.params.id), new Date(parsed.data.since)));
    },
  );

  router.post(
    `${item}/test`,
    authorize(db, { name: 'webhook_integration.test', permission: 'manage' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      parseQuery({}, req);
      const sender = deps.ctx.webhookSender;
      if (!sender) throw new ApiError('unavailable', 'test deliveries need the delivery engine, which this process does not run (AUDITDRAIN_ROLE=api)');
      res.json(await testWebhook(db, deps.ctx.box, sender, req.caller!.tenantId, String(req.params.id)));
    },
  );

  router.get(
    `${item}/deliveries/:delivery_id`,
    authorize(db, { name: 'webhook_integration.get_delivery', permission: 'read' }, itemOf(webhookIntegrationKind)),
    async (req, res) => {
      parseQuery({}, req);
      res.json(await getDelivery(db, req.caller!.tenantId, String(req.params.id), String(req.params.delivery_id)));
    },
  );
}
