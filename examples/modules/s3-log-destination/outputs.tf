output "id" {
  description = "Id of the destination (s3d_…), for the API (e.g. GET /v1/s3-log-destinations/{id} shows its delivery health) and for import."
  value       = auditdrain_s3_log_destination.this.id
}

output "external_id" {
  description = "The external id auditdrain sends when it assumes role_arn (auditdrain:<tenant id>); the role's trust policy must require it."
  value       = auditdrain_s3_log_destination.this.external_id
}

output "key_prefix" {
  description = "Prefix of every object key written, given or derived from the tenant id."
  value       = auditdrain_s3_log_destination.this.key_prefix
}

output "bucket_name" {
  description = "Name of the bucket the objects are written to."
  value       = auditdrain_s3_log_destination.this.bucket_name
}

output "created_at" {
  description = "When the destination was created (RFC 3339, UTC)."
  value       = auditdrain_s3_log_destination.this.created_at
}
