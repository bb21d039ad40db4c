# An auditdrain S3 log destination for a bucket and role that already exist. Settings left null take the provider's
# defaults, so this module's defaults move with the provider's (except compression, which is gzip here).

data "auditdrain_identity" "current" {}

locals {
  key_prefix = coalesce(var.key_prefix, "auditdrain/${data.auditdrain_identity.current.tenant_id}")
}

resource "auditdrain_s3_log_destination" "this" {
  name        = var.name
  bucket_name = var.bucket_name
  region      = var.region
  role_arn    = var.role_arn
  key_prefix  = local.key_prefix

  key_template = var.key_template
  encoding     = var.encoding
  compression  = var.compression

  batch_duration_in_minutes = var.batch_duration_in_minutes
  batch_duration_in_seconds = var.batch_duration_in_seconds
  maximum_batch_size        = var.maximum_batch_size

  filter_for_actions        = var.filter_for_actions
  send_audit_log_events     = var.send_audit_log_events
  send_authorization_events = var.send_authorization_events

  server_side_encryption = var.server_side_encryption
  kms_key_id             = var.kms_key_id
  object_acl             = var.object_acl

  endpoint_url     = var.endpoint_url
  force_path_style = var.force_path_style

  enabled = var.enabled
}
