import type { ResourceSpec } from '../resource';
import { s3LogDestination } from './s3-log-destination';
import { webhookIntegration } from './webhook-integration';

export { identity } from './identity';
export { s3LogDestination } from './s3-log-destination';
export { webhookIntegration } from './webhook-integration';

/** Every resource, in the order documentation lists them. */
export const RESOURCES: readonly ResourceSpec[] = [s3LogDestination, webhookIntegration];
