data "auditdrain_identity" "current" {}

# What an IAM role's trust policy needs to let auditdrain write into a bucket.
output "auditdrain_principal_arn" {
  value = data.auditdrain_identity.current.aws_principal_arn
}

output "auditdrain_external_id" {
  value = data.auditdrain_identity.current.external_id
}
