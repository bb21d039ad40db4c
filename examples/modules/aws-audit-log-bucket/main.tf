# The customer's side of an auditdrain S3 destination: a private, encrypted bucket that only accepts TLS, and a role
# that auditdrain assumes (with this tenant's external id) to put objects below one prefix.

data "aws_partition" "current" {}

locals {
  # Known at plan time, so the plan shows the policies in full.
  bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket_name}"
  role_name  = coalesce(var.role_name, substr("auditdrain-writer-${var.bucket_name}", 0, 64))
  use_kms    = var.create_kms_key || var.kms_key_arn != null
  # null with SSE-S3.
  kms_key_arn      = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn
  manage_lifecycle = var.expiration_days != null || var.transition_days != null
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs are disabled: the bucket owner owns every object, whoever wrote it.
resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "Encrypts the audit logs auditdrain writes to s3://${var.bucket_name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  tags                    = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.use_kms ? "aws:kms" : "AES256"
      kms_master_key_id = local.kms_key_arn
    }
    # With SSE-KMS, one data key per bucket instead of one KMS request per object.
    bucket_key_enabled = local.use_kms ? true : null
  }

  lifecycle {
    precondition {
      condition     = !(var.create_kms_key && var.kms_key_arn != null)
      error_message = "Set either create_kms_key or kms_key_arn, not both."
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 refuses concurrent changes to one bucket's configuration.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = local.manage_lifecycle ? 1 : 0

  bucket = aws_s3_bucket.this.id

  rule {
    id     = "auditdrain-retention"
    status = "Enabled"

    filter {
      prefix = "${var.key_prefix}/"
    }

    dynamic "transition" {
      for_each = var.transition_days == null ? [] : [var.transition_days]
      content {
        days          = transition.value
        storage_class = var.transition_storage_class
      }
    }

    dynamic "expiration" {
      for_each = var.expiration_days == null ? [] : [var.expiration_days]
      content {
        days = expiration.value
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.expiration_days == null || var.transition_days == null ? true : var.expiration_days > var.transition_days
      error_message = "expiration_days must be greater than transition_days."
    }
  }
}

# auditdrain's principal may assume the role only with this tenant's external id, so no other tenant of the same
# service can make it write here (the confused-deputy problem).
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "AuditdrainWithExternalId"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.trusted_principal_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
}

resource "aws_iam_role" "writer" {
  name                 = local.role_name
  description          = "Assumed by auditdrain to write audit logs to s3://${var.bucket_name}/${var.key_prefix}/"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

data "aws_iam_policy_document" "writer" {
  statement {
    sid       = "PutAuditLogs"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/${var.key_prefix}/*"]
  }

  statement {
    sid       = "DiscoverBucketRegion"
    actions   = ["s3:GetBucketLocation"]
    resources = [local.bucket_arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [local.kms_key_arn] : []
    content {
      sid       = "EncryptAuditLogs"
      actions   = ["kms:GenerateDataKey", "kms:Encrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "writer" {
  name   = "auditdrain-put-audit-logs"
  role   = aws_iam_role.writer.id
  policy = data.aws_iam_policy_document.writer.json
}
