/**
 * The REST routes every resource has: list, create, get, update (PATCH), delete, and its delivery stats. Handlers only parse the request
 * and call a domain function; validation lives in @auditdrain/schema, storage in domain/resources.
 */
import type { Router } from 'express';
import { createResource } from '../../domain/resources/create-resource';
import { deleteResource } from '../../domain/resources/delete-resource';
import { deliveryStats } from '../../domain/deliveries/delivery-stats';
import { getResource } from '../../domain/resources/get-resource';
import { listResources } from '../../domain/resources/list-resources';
import type { ResourceContext } from '../../domain/resources/context';
import type { ResourceKind } from '../../domain/resources/resource-kind';
import { updateResource } from '../../domain/resources/update-resource';
import { pascalCase } from '@auditdrain/schema';
import type { ResourceOf } from '../access';
import { authorize } from '../access';
import { bodyOf, jsonBody } from '../json-body';
import { pageQuery, parseQuery } from '../query';

export interface RouteDeps {
  ctx: ResourceContext;
  maxBodyBytes: number;
}

/** The resource an item route names, as authorization events record it. */
export function itemOf(kind: ResourceKind): ResourceOf {
  const type = `Auditdrain::${pascalCase(kind.spec.name)}`;
  return (req) => ({ type, id: String(req.params.id) });
}

export function registerResourceRoutes(router: Router, kind: ResourceKind, deps: RouteDeps): void {
  const { ctx } = deps;
  const { collectionPath: collection, operationStem: stem } = kind.spec;
  const item = `${collection}/:id`;
  const body = jsonBody(deps.maxBodyBytes);
  const db = ctx.db;

  router.get(collection, authorize(db, { name: `${stem}.list`, permission: 'read' }), async (req, res) => {
    const page = parseQuery(pageQuery, req);
    res.json(await listResources(ctx, kind, req.caller!.tenantId, page));
  });

  router.post(collection, authorize(db, { name: `${stem}.create`, permission: 'manage' }), ...body, async (req, res) => {
    parseQuery({}, req);
    const created = await createResource(ctx, kind, req.caller!.tenantId, bodyOf(req));
    res.status(201).location(`${collection}/${String(created.id)}`).json(created);
  });

  router.get(item, authorize(db, { name: `${stem}.get`, permission: 'read' }, itemOf(kind)), async (req, res) => {
    parseQuery({}, req);
    res.json(await getResource(ctx, kind, req.caller!.tenantId, String(req.params.id)));
  });

  router.patch(item, authorize(db, { name: `${stem}.update`, permission: 'manage' }, itemOf(kind)), ...body, async (req, res) => {
    parseQuery({}, req);
    res.json(await updateResource(ctx, kind, req.caller!.tenantId, String(req.params.id), bodyOf(req)));
  });

  router.delete(item, authorize(db, { name: `${stem}.delete`, permission: 'manage' }, itemOf(kind)), async (req, res) => {
    parseQuery({}, req);
    await deleteResource(ctx, kind, req.caller!.tenantId, String(req.params.id));
    res.status(204).end();
  });

  // Every resource here is a destination: its delivered and failed events per minute, for the console's chart.
  router.get(`${item}/delivery-stats`, authorize(db, { name: `${stem}.get_delivery_stats`, permission: 'read' }, itemOf(kind)), async (req, res) => {
    parseQuery({}, req);
    res.json(await deliveryStats(db, kind, req.caller!.tenantId, String(req.params.id), new Date()));
  });
}
