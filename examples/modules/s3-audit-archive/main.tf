# The whole customer-side wiring of an S3 archive: auditdrain says who it is, the bucket module creates a bucket and a
# role that trusts exactly that (principal and external id), and the destination module points auditdrain at them.
#
# The two modules are called by relative path, so they are used at the same commit as this one: fetched from git
# (…//examples/modules/s3-audit-archive?ref=…), Terraform downloads the whole repository and the paths resolve in it.

data "auditdrain_identity" "current" {}

locals {
  key_prefix = coalesce(var.key_prefix, "auditdrain/${data.auditdrain_identity.current.tenant_id}")
}

module "bucket" {
  source = "../aws-audit-log-bucket"

  bucket_name           = var.bucket_name
  key_prefix            = local.key_prefix
  trusted_principal_arn = data.auditdrain_identity.current.aws_principal_arn
  external_id           = data.auditdrain_identity.current.external_id

  force_destroy            = var.force_destroy
  role_name                = var.role_name
  permissions_boundary_arn = var.permissions_boundary_arn
  create_kms_key           = var.create_kms_key
  kms_key_arn              = var.kms_key_arn
  expiration_days          = var.expiration_days
  transition_days          = var.transition_days
  transition_storage_class = var.transition_storage_class
  tags                     = var.tags
}

module "destination" {
  source = "../s3-log-destination"

  name        = var.name
  bucket_name = module.bucket.bucket_name
  region      = module.bucket.region
  # Known once the role's policy and the bucket's settings exist, so auditdrain's test write comes after them.
  role_arn   = module.bucket.writer_role_arn
  key_prefix = module.bucket.key_prefix

  key_template              = var.key_template
  encoding                  = var.encoding
  compression               = var.compression
  batch_duration_in_minutes = var.batch_duration_in_minutes
  maximum_batch_size        = var.maximum_batch_size
  filter_for_actions        = var.filter_for_actions
  send_authorization_events = var.send_authorization_events
}
