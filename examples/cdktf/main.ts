/**
 * A CDK for Terraform app that configures an audit-log drain for one tenant of auditdrain:
 * - an S3 log destination writing gzip-compressed JSON Lines into the customer's bucket under a prefix named after
 *   the tenant (read from the `auditdrain_identity` data source), by assuming the customer's role (or, where a role
 *   cannot be used, with static keys whose secret never reaches the synthesized JSON, the plan or the state);
 * - a webhook integration that POSTs grant and access events, and every authorization event, to the customer's SIEM.
 *
 * The bindings (`@auditdrain/cdktf`) are generated from the provider's schema. `cdktf synth` turns this file into
 * Terraform JSON; terraform applies it with the provider configured by AUDITDRAIN_ENDPOINT and AUDITDRAIN_API_KEY.
 */
import { dataAuditdrainIdentity, provider, s3LogDestination, webhookIntegration } from '@auditdrain/cdktf';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/** How auditdrain gets credentials for the bucket. */
export type S3Credentials =
  /** A role it assumes; the role's trust policy names the `external_id` this stack outputs. The recommended way. */
  | { roleArn: string }
  /**
   * Static keys. The secret is a Terraform variable (TF_VAR_s3_secret_access_key when terraform runs), sent through
   * the write-only `secret_access_key_wo`; raise `secretVersion` to send a new secret.
   */
  | { accessKeyId: string; secretVersion: number };

export interface AuditDrainConfig {
  /** The customer's bucket. */
  bucketName: string;
  credentials: S3Credentials;
  /** An S3-compatible store's endpoint instead of AWS (written to with path-style addressing); usually unset. */
  s3EndpointUrl?: string;
  /** How long events collect before one object is written. */
  batchDurationInMinutes: number;
  /** The SIEM's HTTPS endpoint. */
  siemUrl: string;
}

export class AuditDrainStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: AuditDrainConfig) {
    super(scope, id);

    // endpoint and api_key come from AUDITDRAIN_ENDPOINT and AUDITDRAIN_API_KEY when terraform runs.
    new provider.AuditdrainProvider(this, 'auditdrain', {});

    const me = new dataAuditdrainIdentity.DataAuditdrainIdentity(this, 'me', {});

    const archive = new s3LogDestination.S3LogDestination(this, 'archive', {
      name: 'security archive',
      bucketName: config.bucketName,
      ...this.credentials(config.credentials),
      keyPrefix: `auditdrain/${me.tenantId}`,
      keyTemplate: 'year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}',
      compression: 'gzip',
      batchDurationInMinutes: config.batchDurationInMinutes,
      ...(config.s3EndpointUrl === undefined ? {} : { endpointUrl: config.s3EndpointUrl, forcePathStyle: true }),
    });

    // A secret belongs in a sensitive variable, given when terraform runs (TF_VAR_siem_token): a literal here would
    // be written in clear into the synthesized cdk.tf.json.
    const siemToken = new TerraformVariable(this, 'siem_token', {
      type: 'string',
      sensitive: true,
      description: 'The bearer token the SIEM expects in the Authorization header',
    });

    const siem = new webhookIntegration.WebhookIntegration(this, 'siem', {
      name: 'siem',
      url: config.siemUrl,
      headers: [{ key: 'Authorization', value: `Bearer ${siemToken.stringValue}` }],
      filterForActions: ['grant.*', 'access.*'],
      sendAuthorizationEvents: true,
    });

    new TerraformOutput(this, 'archive_id', { value: archive.id });
    new TerraformOutput(this, 'external_id', {
      value: archive.externalId,
      description: 'The sts:ExternalId the role trust policy requires',
    });
    new TerraformOutput(this, 'aws_principal_arn', {
      value: me.awsPrincipalArn,
      description: 'The principal the role trust policy allows',
    });
    new TerraformOutput(this, 'siem_integration_id', { value: siem.id });
  }

  private credentials(credentials: S3Credentials): Partial<s3LogDestination.S3LogDestinationConfig> {
    if ('roleArn' in credentials) return { roleArn: credentials.roleArn };
    // In CDKTF a write-only attribute is an ordinary property, and whatever it is given is written into cdk.tf.json.
    // Given a variable, only the reference is; marked ephemeral (Terraform 1.10 and later; CDKTF has no property for
    // it), the value is kept out of the plan too, and the write-only attribute keeps it out of the state.
    const secret = new TerraformVariable(this, 's3_secret_access_key', {
      type: 'string',
      sensitive: true,
      description: 'The secret access key of the static credentials',
    });
    secret.addOverride('ephemeral', true);
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKeyWo: secret.stringValue,
      secretAccessKeyWoVersion: credentials.secretVersion,
    };
  }
}

/** The configuration from the environment of `cdktf synth`; a missing required value is named. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): AuditDrainConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the stack needs it (see examples/cdktf/README.md)`);
    return value;
  };
  const minutes = Number(env.AUDIT_BATCH_MINUTES ?? '5');
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`AUDIT_BATCH_MINUTES must be a whole number of minutes, 1 or more (got "${env.AUDIT_BATCH_MINUTES}")`);
  }
  const secretVersion = Number(env.AUDIT_SECRET_VERSION ?? '1');
  if (!Number.isInteger(secretVersion)) {
    throw new Error(`AUDIT_SECRET_VERSION must be a whole number (got "${env.AUDIT_SECRET_VERSION}")`);
  }
  return {
    bucketName: required('AUDIT_BUCKET'),
    credentials: env.AUDIT_ACCESS_KEY_ID
      ? { accessKeyId: env.AUDIT_ACCESS_KEY_ID, secretVersion }
      : { roleArn: required('AUDIT_ROLE_ARN') },
    ...(env.AUDIT_S3_ENDPOINT ? { s3EndpointUrl: env.AUDIT_S3_ENDPOINT } : {}),
    batchDurationInMinutes: minutes,
    siemUrl: required('SIEM_URL'),
  };
}

if (require.main === module) {
  const app = new App();
  new AuditDrainStack(app, 'auditdrain', configFromEnvironment());
  app.synth();
}
