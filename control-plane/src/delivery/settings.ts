/**
 * What the delivery engine and destination verification need from the service's configuration.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface DeliverySettings {
  /** Region the service's own STS calls are signed for, and where bucket regions are discovered from. */
  awsRegion: string;
  /** The STS endpoint; null: AWS's regional endpoint. */
  stsEndpoint: string | null;
  /** The service's own AWS identity; null: the AWS SDK's default chain (environment, instance or task role). */
  serviceCredentials: AwsCredentials | null;
  /** Create and update write a test object before saving; failures answer 422. */
  verify: boolean;
  /** How long verification keeps retrying AccessDenied (a role created moments ago is not assumable yet). */
  verifyTimeoutMs: number;
  /** Timeout of one S3 or STS request. */
  requestTimeoutMs: number;
  /** How often the engine looks for due destinations when nothing wakes it. */
  pollMs: number;
  /** Destinations delivered at the same time. */
  concurrency: number;
  /**
   * How long a claim on a destination lasts without renewal (store/leases.ts): a process that dies holds its
   * destinations this long. A turn renews it every third of this; it must exceed clock differences between machines.
   */
  leaseMs: number;
  /** Timeout of one webhook POST, connection and response included. */
  webhookTimeoutMs: number;
  /** Requests in flight to one webhook integration at a time. */
  webhookConcurrency: number;
  /** Delays between webhook attempts (retry-schedule.ts); only tests shorten them. */
  webhookRetryDelaysMs: readonly number[];
  /** Webhooks may go to private networks and plain http (tests, local demos); otherwise the SSRF guard refuses. */
  allowPrivateNetwork: boolean;
  /** Test-only fault points. */
  faultInjection: 'exit-after-put' | null;
}
