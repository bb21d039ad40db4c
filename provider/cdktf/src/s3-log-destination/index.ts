// https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface S3LogDestinationConfig extends cdktf.TerraformMetaArguments {
  /**
  * A name for people to recognise it by; need not be unique.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#name S3LogDestination#name}
  */
  readonly name: string;
  /**
  * Name of the S3 bucket the objects are written to.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#bucket_name S3LogDestination#bucket_name}
  */
  readonly bucketName: string;
  /**
  * Prefix of every object key (like `s3://bucket/prefix`). Test objects are written under `<prefix>/test/`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#key_prefix S3LogDestination#key_prefix}
  */
  readonly keyPrefix?: string;
  /**
  * The bucket's region. When unset it is discovered with GetBucketLocation.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#region S3LogDestination#region}
  */
  readonly region?: string;
  /**
  * IAM role assumed (STS AssumeRole) to write objects. Its trust policy must allow the service's principal with the condition `sts:ExternalId` equal to `external_id`. Conflicts with static keys.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#role_arn S3LogDestination#role_arn}
  */
  readonly roleArn?: string;
  /**
  * Access key id of static credentials. Requires `secret_access_key`; conflicts with `role_arn`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#access_key_id S3LogDestination#access_key_id}
  */
  readonly accessKeyId?: string;
  /**
  * Secret access key of static credentials. Stored encrypted and never returned by the API. Requires `access_key_id`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#secret_access_key S3LogDestination#secret_access_key}
  */
  readonly secretAccessKey?: string;
  /**
  * Write-only alternative to `secret_access_key` (Terraform 1.11 and later): sent to the API but never stored in the plan or state. Set `secret_access_key_wo_version` with it, and change that number to send a new value. Conflicts with `secret_access_key`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#secret_access_key_wo S3LogDestination#secret_access_key_wo}
  */
  readonly secretAccessKeyWo?: string;
  /**
  * Version of `secret_access_key_wo`: any number; changing it sends the current `secret_access_key_wo`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#secret_access_key_wo_version S3LogDestination#secret_access_key_wo_version}
  */
  readonly secretAccessKeyWoVersion?: number;
  /**
  * Object key layout in Go-template syntax, below `key_prefix`. Variables: `.Year .Month .Day .Hour .Minute .Second` (UTC, zero-padded, of the first event), `.Timestamp` (unix milliseconds), `.ID` (batch id), `.DestinationID`, `.TenantID`. A template without `.ID` gets `_<ID>` appended. The extension (`.jsonl`, `.json`, `.gz`) is appended.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#key_template S3LogDestination#key_template}
  */
  readonly keyTemplate?: string;
  /**
  * `jsonl`: one event per line. `json`: one JSON array of events per object.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#encoding S3LogDestination#encoding}
  */
  readonly encoding?: string;
  /**
  * `gzip` compresses each object and appends `.gz` to its key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#compression S3LogDestination#compression}
  */
  readonly compression?: string;
  /**
  * Only events whose action is listed are delivered; an entry ending in `.*` matches every action under that prefix (`grant.*` matches `grant.approved`). Empty or unset delivers every action.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#filter_for_actions S3LogDestination#filter_for_actions}
  */
  readonly filterForActions?: string[];
  /**
  * Deliver audit-log events.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#send_audit_log_events S3LogDestination#send_audit_log_events}
  */
  readonly sendAuditLogEvents?: boolean | cdktf.IResolvable;
  /**
  * Deliver authorization events (one for every authorization decision).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#send_authorization_events S3LogDestination#send_authorization_events}
  */
  readonly sendAuthorizationEvents?: boolean | cdktf.IResolvable;
  /**
  * A batch is written when its oldest event has waited this long. Unset (null) when `batch_duration_in_seconds` is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#batch_duration_in_minutes S3LogDestination#batch_duration_in_minutes}
  */
  readonly batchDurationInMinutes?: number;
  /**
  * A finer alternative to `batch_duration_in_minutes` for near-real-time archives: a batch is written when its oldest event has waited this many seconds. Conflicts with `batch_duration_in_minutes`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#batch_duration_in_seconds S3LogDestination#batch_duration_in_seconds}
  */
  readonly batchDurationInSeconds?: number;
  /**
  * A batch is written as soon as it holds this many events.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#maximum_batch_size S3LogDestination#maximum_batch_size}
  */
  readonly maximumBatchSize?: number;
  /**
  * Server-side encryption requested for each object. Unset uses the bucket's default.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#server_side_encryption S3LogDestination#server_side_encryption}
  */
  readonly serverSideEncryption?: string;
  /**
  * KMS key id or ARN for `aws:kms` and `aws:kms:dsse`. Unset uses the AWS managed key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#kms_key_id S3LogDestination#kms_key_id}
  */
  readonly kmsKeyId?: string;
  /**
  * Canned ACL set on each object, e.g. `bucket-owner-full-control`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#object_acl S3LogDestination#object_acl}
  */
  readonly objectAcl?: string;
  /**
  * S3 endpoint for S3-compatible stores. Unset uses Amazon S3 in the bucket's region.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#endpoint_url S3LogDestination#endpoint_url}
  */
  readonly endpointUrl?: string;
  /**
  * Address the bucket in the path (`endpoint/bucket/key`) instead of the host name.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#force_path_style S3LogDestination#force_path_style}
  */
  readonly forcePathStyle?: boolean | cdktf.IResolvable;
  /**
  * Whether delivery runs. When false, delivery pauses and events keep accruing for later.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#enabled S3LogDestination#enabled}
  */
  readonly enabled?: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination auditdrain_s3_log_destination}
*/
export class S3LogDestination extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "auditdrain_s3_log_destination";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a S3LogDestination resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the S3LogDestination to import
  * @param importFromId The id of the existing S3LogDestination that should be imported. Refer to the {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the S3LogDestination to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "auditdrain_s3_log_destination", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/auditdrain/auditdrain/latest/docs/resources/s3_log_destination auditdrain_s3_log_destination} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options S3LogDestinationConfig
  */
  public constructor(scope: Construct, id: string, config: S3LogDestinationConfig) {
    super(scope, id, {
      terraformResourceType: 'auditdrain_s3_log_destination',
      terraformGeneratorMetadata: {
        providerName: 'auditdrain',
        providerVersionConstraint: '~> 0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._name = config.name;
    this._bucketName = config.bucketName;
    this._keyPrefix = config.keyPrefix;
    this._region = config.region;
    this._roleArn = config.roleArn;
    this._accessKeyId = config.accessKeyId;
    this._secretAccessKey = config.secretAccessKey;
    this._secretAccessKeyWo = config.secretAccessKeyWo;
    this._secretAccessKeyWoVersion = config.secretAccessKeyWoVersion;
    this._keyTemplate = config.keyTemplate;
    this._encoding = config.encoding;
    this._compression = config.compression;
    this._filterForActions = config.filterForActions;
    this._sendAuditLogEvents = config.sendAuditLogEvents;
    this._sendAuthorizationEvents = config.sendAuthorizationEvents;
    this._batchDurationInMinutes = config.batchDurationInMinutes;
    this._batchDurationInSeconds = config.batchDurationInSeconds;
    this._maximumBatchSize = config.maximumBatchSize;
    this._serverSideEncryption = config.serverSideEncryption;
    this._kmsKeyId = config.kmsKeyId;
    this._objectAcl = config.objectAcl;
    this._endpointUrl = config.endpointUrl;
    this._forcePathStyle = config.forcePathStyle;
    this._enabled = config.enabled;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // bucket_name - computed: false, optional: false, required: true
  private _bucketName?: string; 
  public get bucketName() {
    return this.getStringAttribute('bucket_name');
  }
  public set bucketName(value: string) {
    this._bucketName = value;
  }
  // Temporarily expose input value. Use with caution.
  public get bucketNameInput() {
    return this._bucketName;
  }

  // key_prefix - computed: false, optional: true, required: false
  private _keyPrefix?: string; 
  public get keyPrefix() {
    return this.getStringAttribute('key_prefix');
  }
  public set keyPrefix(value: string) {
    this._keyPrefix = value;
  }
  public resetKeyPrefix() {
    this._keyPrefix = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyPrefixInput() {
    return this._keyPrefix;
  }

  // region - computed: false, optional: true, required: false
  private _region?: string; 
  public get region() {
    return this.getStringAttribute('region');
  }
  public set region(value: string) {
    this._region = value;
  }
  public resetRegion() {
    this._region = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get regionInput() {
    return this._region;
  }

  // role_arn - computed: false, optional: true, required: false
  private _roleArn?: string; 
  public get roleArn() {
    return this.getStringAttribute('role_arn');
  }
  public set roleArn(value: string) {
    this._roleArn = value;
  }
  public resetRoleArn() {
    this._roleArn = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get roleArnInput() {
    return this._roleArn;
  }

  // access_key_id - computed: false, optional: true, required: false
  private _accessKeyId?: string; 
  public get accessKeyId() {
    return this.getStringAttribute('access_key_id');
  }
  public set accessKeyId(value: string) {
    this._accessKeyId = value;
  }
  public resetAccessKeyId() {
    this._accessKeyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get accessKeyIdInput() {
    return this._accessKeyId;
  }

  // secret_access_key - computed: false, optional: true, required: false
  private _secretAccessKey?: string; 
  public get secretAccessKey() {
    return this.getStringAttribute('secret_access_key');
  }
  public set secretAccessKey(value: string) {
    this._secretAccessKey = value;
  }
  public resetSecretAccessKey() {
    this._secretAccessKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretAccessKeyInput() {
    return this._secretAccessKey;
  }

  // secret_access_key_wo - computed: false, optional: true, required: false
  private _secretAccessKeyWo?: string; 
  public get secretAccessKeyWo() {
    return this.getStringAttribute('secret_access_key_wo');
  }
  public set secretAccessKeyWo(value: string) {
    this._secretAccessKeyWo = value;
  }
  public resetSecretAccessKeyWo() {
    this._secretAccessKeyWo = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretAccessKeyWoInput() {
    return this._secretAccessKeyWo;
  }

  // secret_access_key_wo_version - computed: false, optional: true, required: false
  private _secretAccessKeyWoVersion?: number; 
  public get secretAccessKeyWoVersion() {
    return this.getNumberAttribute('secret_access_key_wo_version');
  }
  public set secretAccessKeyWoVersion(value: number) {
    this._secretAccessKeyWoVersion = value;
  }
  public resetSecretAccessKeyWoVersion() {
    this._secretAccessKeyWoVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretAccessKeyWoVersionInput() {
    return this._secretAccessKeyWoVersion;
  }

  // external_id - computed: true, optional: false, required: false
  public get externalId() {
    return this.getStringAttribute('external_id');
  }

  // key_template - computed: true, optional: true, required: false
  private _keyTemplate?: string; 
  public get keyTemplate() {
    return this.getStringAttribute('key_template');
  }
  public set keyTemplate(value: string) {
    this._keyTemplate = value;
  }
  public resetKeyTemplate() {
    this._keyTemplate = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keyTemplateInput() {
    return this._keyTemplate;
  }

  // encoding - computed: true, optional: true, required: false
  private _encoding?: string; 
  public get encoding() {
    return this.getStringAttribute('encoding');
  }
  public set encoding(value: string) {
    this._encoding = value;
  }
  public resetEncoding() {
    this._encoding = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get encodingInput() {
    return this._encoding;
  }

  // compression - computed: true, optional: true, required: false
  private _compression?: string; 
  public get compression() {
    return this.getStringAttribute('compression');
  }
  public set compression(value: string) {
    this._compression = value;
  }
  public resetCompression() {
    this._compression = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get compressionInput() {
    return this._compression;
  }

  // filter_for_actions - computed: false, optional: true, required: false
  private _filterForActions?: string[]; 
  public get filterForActions() {
    return cdktf.Fn.tolist(this.getListAttribute('filter_for_actions'));
  }
  public set filterForActions(value: string[]) {
    this._filterForActions = value;
  }
  public resetFilterForActions() {
    this._filterForActions = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get filterForActionsInput() {
    return this._filterForActions;
  }

  // send_audit_log_events - computed: true, optional: true, required: false
  private _sendAuditLogEvents?: boolean | cdktf.IResolvable; 
  public get sendAuditLogEvents() {
    return this.getBooleanAttribute('send_audit_log_events');
  }
  public set sendAuditLogEvents(value: boolean | cdktf.IResolvable) {
    this._sendAuditLogEvents = value;
  }
  public resetSendAuditLogEvents() {
    this._sendAuditLogEvents = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sendAuditLogEventsInput() {
    return this._sendAuditLogEvents;
  }

  // send_authorization_events - computed: true, optional: true, required: false
  private _sendAuthorizationEvents?: boolean | cdktf.IResolvable; 
  public get sendAuthorizationEvents() {
    return this.getBooleanAttribute('send_authorization_events');
  }
  public set sendAuthorizationEvents(value: boolean | cdktf.IResolvable) {
    this._sendAuthorizationEvents = value;
  }
  public resetSendAuthorizationEvents() {
    this._sendAuthorizationEvents = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sendAuthorizationEventsInput() {
    return this._sendAuthorizationEvents;
  }

  // batch_duration_in_minutes - computed: true, optional: true, required: false
  private _batchDurationInMinutes?: number; 
  public get batchDurationInMinutes() {
    return this.getNumberAttribute('batch_duration_in_minutes');
  }
  public set batchDurationInMinutes(value: number) {
    this._batchDurationInMinutes = value;
  }
  public resetBatchDurationInMinutes() {
    this._batchDurationInMinutes = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get batchDurationInMinutesInput() {
    return this._batchDurationInMinutes;
  }

  // batch_duration_in_seconds - computed: false, optional: true, required: false
  private _batchDurationInSeconds?: number; 
  public get batchDurationInSeconds() {
    return this.getNumberAttribute('batch_duration_in_seconds');
  }
  public set batchDurationInSeconds(value: number) {
    this._batchDurationInSeconds = value;
  }
  public resetBatchDurationInSeconds() {
    this._batchDurationInSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get batchDurationInSecondsInput() {
    return this._batchDurationInSeconds;
  }

  // maximum_batch_size - computed: true, optional: true, required: false
  private _maximumBatchSize?: number; 
  public get maximumBatchSize() {
    return this.getNumberAttribute('maximum_batch_size');
  }
  public set maximumBatchSize(value: number) {
    this._maximumBatchSize = value;
  }
  public resetMaximumBatchSize() {
    this._maximumBatchSize = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maximumBatchSizeInput() {
    return this._maximumBatchSize;
  }

  // server_side_encryption - computed: false, optional: true, required: false
  private _serverSideEncryption?: string; 
  public get serverSideEncryption() {
    return this.getStringAttribute('server_side_encryption');
  }
  public set serverSideEncryption(value: string) {
    this._serverSideEncryption = value;
  }
  public resetServerSideEncryption() {
    this._serverSideEncryption = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get serverSideEncryptionInput() {
    return this._serverSideEncryption;
  }

  // kms_key_id - computed: false, optional: true, required: false
  private _kmsKeyId?: string; 
  public get kmsKeyId() {
    return this.getStringAttribute('kms_key_id');
  }
  public set kmsKeyId(value: string) {
    this._kmsKeyId = value;
  }
  public resetKmsKeyId() {
    this._kmsKeyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get kmsKeyIdInput() {
    return this._kmsKeyId;
  }

  // object_acl - computed: false, optional: true, required: false
  private _objectAcl?: string; 
  public get objectAcl() {
    return this.getStringAttribute('object_acl');
  }
  public set objectAcl(value: string) {
    this._objectAcl = value;
  }
  public resetObjectAcl() {
    this._objectAcl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get objectAclInput() {
    return this._objectAcl;
  }

  // endpoint_url - computed: false, optional: true, required: false
  private _endpointUrl?: string; 
  public get endpointUrl() {
    return this.getStringAttribute('endpoint_url');
  }
  public set endpointUrl(value: string) {
    this._endpointUrl = value;
  }
  public resetEndpointUrl() {
    this._endpointUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointUrlInput() {
    return this._endpointUrl;
  }

  // force_path_style - computed: true, optional: true, required: false
  private _forcePathStyle?: boolean | cdktf.IResolvable; 
  public get forcePathStyle() {
    return this.getBooleanAttribute('force_path_style');
  }
  public set forcePathStyle(value: boolean | cdktf.IResolvable) {
    this._forcePathStyle = value;
  }
  public resetForcePathStyle() {
    this._forcePathStyle = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get forcePathStyleInput() {
    return this._forcePathStyle;
  }

  // enabled - computed: true, optional: true, required: false
  private _enabled?: boolean | cdktf.IResolvable; 
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  public set enabled(value: boolean | cdktf.IResolvable) {
    this._enabled = value;
  }
  public resetEnabled() {
    this._enabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enabledInput() {
    return this._enabled;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
      bucket_name: cdktf.stringToTerraform(this._bucketName),
      key_prefix: cdktf.stringToTerraform(this._keyPrefix),
      region: cdktf.stringToTerraform(this._region),
      role_arn: cdktf.stringToTerraform(this._roleArn),
      access_key_id: cdktf.stringToTerraform(this._accessKeyId),
      secret_access_key: cdktf.stringToTerraform(this._secretAccessKey),
      secret_access_key_wo: cdktf.stringToTerraform(this._secretAccessKeyWo),
      secret_access_key_wo_version: cdktf.numberToTerraform(this._secretAccessKeyWoVersion),
      key_template: cdktf.stringToTerraform(this._keyTemplate),
      encoding: cdktf.stringToTerraform(this._encoding),
      compression: cdktf.stringToTerraform(this._compression),
      filter_for_actions: cdktf.listMapper(cdktf.stringToTerraform, false)(this._filterForActions),
      send_audit_log_events: cdktf.booleanToTerraform(this._sendAuditLogEvents),
      send_authorization_events: cdktf.booleanToTerraform(this._sendAuthorizationEvents),
      batch_duration_in_minutes: cdktf.numberToTerraform(this._batchDurationInMinutes),
      batch_duration_in_seconds: cdktf.numberToTerraform(this._batchDurationInSeconds),
      maximum_batch_size: cdktf.numberToTerraform(this._maximumBatchSize),
      server_side_encryption: cdktf.stringToTerraform(this._serverSideEncryption),
      kms_key_id: cdktf.stringToTerraform(this._kmsKeyId),
      object_acl: cdktf.stringToTerraform(this._objectAcl),
      endpoint_url: cdktf.stringToTerraform(this._endpointUrl),
      force_path_style: cdktf.booleanToTerraform(this._forcePathStyle),
      enabled: cdktf.booleanToTerraform(this._enabled),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      bucket_name: {
        value: cdktf.stringToHclTerraform(this._bucketName),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      key_prefix: {
        value: cdktf.stringToHclTerraform(this._keyPrefix),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      role_arn: {
        value: cdktf.stringToHclTerraform(this._roleArn),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      access_key_id: {
        value: cdktf.stringToHclTerraform(this._accessKeyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secret_access_key: {
        value: cdktf.stringToHclTerraform(this._secretAccessKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secret_access_key_wo: {
        value: cdktf.stringToHclTerraform(this._secretAccessKeyWo),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secret_access_key_wo_version: {
        value: cdktf.numberToHclTerraform(this._secretAccessKeyWoVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      key_template: {
        value: cdktf.stringToHclTerraform(this._keyTemplate),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      encoding: {
        value: cdktf.stringToHclTerraform(this._encoding),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      compression: {
        value: cdktf.stringToHclTerraform(this._compression),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      filter_for_actions: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._filterForActions),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      send_audit_log_events: {
        value: cdktf.booleanToHclTerraform(this._sendAuditLogEvents),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      send_authorization_events: {
        value: cdktf.booleanToHclTerraform(this._sendAuthorizationEvents),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      batch_duration_in_minutes: {
        value: cdktf.numberToHclTerraform(this._batchDurationInMinutes),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      batch_duration_in_seconds: {
        value: cdktf.numberToHclTerraform(this._batchDurationInSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      maximum_batch_size: {
        value: cdktf.numberToHclTerraform(this._maximumBatchSize),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      server_side_encryption: {
        value: cdktf.stringToHclTerraform(this._serverSideEncryption),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      kms_key_id: {
        value: cdktf.stringToHclTerraform(this._kmsKeyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      object_acl: {
        value: cdktf.stringToHclTerraform(this._objectAcl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      endpoint_url: {
        value: cdktf.stringToHclTerraform(this._endpointUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      force_path_style: {
        value: cdktf.booleanToHclTerraform(this._forcePathStyle),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      enabled: {
        value: cdktf.booleanToHclTerraform(this._enabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
