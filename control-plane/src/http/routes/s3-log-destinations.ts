import type { Router } from 'express';
import { s3LogDestinationKind } from '../../domain/resources/resource-kind';
import type { RouteDeps } from './resource-routes';
import { registerResourceRoutes } from './resource-routes';

/** `/v1/s3-log-destinations`: the contract is the `s3_log_destination` description in @auditdrain/schema. */
export function registerS3LogDestinationRoutes(router: Router, deps: RouteDeps): void {
  registerResourceRoutes(router, s3LogDestinationKind, deps);
}
