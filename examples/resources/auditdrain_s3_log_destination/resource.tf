# Writing through an IAM role: the role trusts auditdrain's AWS principal, on condition of this tenant's external id.
data "auditdrain_identity" "current" {}

# The role itself is managed elsewhere, for example with the aws provider:
#
# resource "aws_iam_role" "auditdrain_writer" {
#   name = "auditdrain-writer"
#   assume_role_policy = jsonencode({
#     Version = "2012-10-17"
#     Statement = [{
#       Effect    = "Allow"
#       Action    = "sts:AssumeRole"
#       Principal = { AWS = data.auditdrain_identity.current.aws_principal_arn }
#       Condition = { StringEquals = { "sts:ExternalId" = data.auditdrain_identity.current.external_id } }
#     }]
#   })
# }
#
# with a policy that allows s3:PutObject on arn:aws:s3:::example-audit-logs/auditdrain/*.

resource "auditdrain_s3_log_destination" "example" {
  name        = "audit archive"
  bucket_name = "example-audit-logs"
  region      = "eu-west-1"
  role_arn    = "arn:aws:iam::123456789012:role/auditdrain-writer"

  # Hive-style partitions, ready for Athena or Spark.
  key_prefix   = "auditdrain"
  key_template = "schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}"
  encoding     = "jsonl"
  compression  = "gzip"

  server_side_encryption = "aws:kms"
  kms_key_id             = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  object_acl             = "bucket-owner-full-control"

  batch_duration_in_minutes = 5
  send_authorization_events = true
}

# Static keys. The write-only secret_access_key_wo (Terraform 1.11 and later) keeps the secret out of plan and state;
# raise secret_access_key_wo_version to send a new secret.
variable "archive_secret_access_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "auditdrain_s3_log_destination" "static_keys" {
  name                         = "grant archive"
  bucket_name                  = "example-grant-logs"
  region                       = "us-east-1"
  access_key_id                = "AKIAIOSFODNN7EXAMPLE"
  secret_access_key_wo         = var.archive_secret_access_key
  secret_access_key_wo_version = 1

  filter_for_actions        = ["grant.*"]
  batch_duration_in_seconds = 30
}
