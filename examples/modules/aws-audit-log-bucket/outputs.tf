output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "region" {
  description = "Region the bucket was created in (the aws provider's region)."
  value       = aws_s3_bucket.this.region
}

output "writer_role_arn" {
  description = "ARN of the role auditdrain assumes to write; set it as the destination's role_arn. Known only once the role's policy and the bucket's settings are in place, so a destination that uses it is created after them."
  value       = aws_iam_role.writer.arn

  depends_on = [
    aws_iam_role_policy.writer,
    aws_s3_bucket_policy.this,
    aws_s3_bucket_public_access_block.this,
    aws_s3_bucket_ownership_controls.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
  ]
}

output "kms_key_arn" {
  description = "ARN of the KMS key the bucket is encrypted with; null with SSE-S3."
  value       = local.kms_key_arn
}

output "key_prefix" {
  description = "Prefix below which the writer role may put objects."
  value       = var.key_prefix
}
