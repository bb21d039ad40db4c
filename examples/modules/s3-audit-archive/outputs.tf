output "bucket_name" {
  description = "Name of the archive bucket."
  value       = module.bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the archive bucket."
  value       = module.bucket.bucket_arn
}

output "region" {
  description = "Region of the archive bucket."
  value       = module.bucket.region
}

output "writer_role_arn" {
  description = "ARN of the role auditdrain assumes to write."
  value       = module.bucket.writer_role_arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key the bucket is encrypted with; null with SSE-S3."
  value       = module.bucket.kms_key_arn
}

output "key_prefix" {
  description = "Prefix below which the archive's objects are written."
  value       = module.destination.key_prefix
}

output "destination_id" {
  description = "Id of the auditdrain destination (s3d_…)."
  value       = module.destination.id
}

output "external_id" {
  description = "The external id auditdrain sends when it assumes the writer role."
  value       = module.destination.external_id
}
