variable "bucket_name" {
  description = "Name of the bucket to create. S3 bucket names are global: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  type        = string

  validation {
    condition     = length(var.bucket_name) >= 3 && length(var.bucket_name) <= 63 && can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "..") && !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, \".\" and \"-\", starting and ending with a letter or digit, without \"..\", and not shaped like an IP address."
  }
}

variable "trusted_principal_arn" {
  description = "ARN of the AWS principal auditdrain runs as, allowed to assume the writer role: the aws_principal_arn attribute of the auditdrain_identity data source."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:\\S+$", var.trusted_principal_arn))
    error_message = "trusted_principal_arn must be an IAM or STS ARN such as \"arn:aws:iam::123456789012:role/auditdrain\". The auditdrain_identity data source answers an empty aws_principal_arn when the service's operator has not set AUDITDRAIN_AWS_PRINCIPAL_ARN."
  }
}

variable "external_id" {
  description = "The external id the writer role's trust policy requires (condition sts:ExternalId): the external_id attribute of the auditdrain_identity data source."
  type        = string

  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224 && can(regex("^[\\w+=,.@:/-]+$", var.external_id))
    error_message = "external_id must be 2 to 1224 characters from letters, digits and +=,.@:/_-, as STS accepts."
  }
}

variable "key_prefix" {
  description = "Prefix of the object keys auditdrain writes (without a leading or trailing slash). The writer role may put objects only below it, and the lifecycle rules apply only below it."
  type        = string
  default     = "auditdrain"
  nullable    = false

  validation {
    condition     = length(var.key_prefix) <= 512 && can(regex("^[^/\\\\]([^\\\\]*[^/\\\\])?$", var.key_prefix))
    error_message = "key_prefix must be at most 512 characters, must not start or end with \"/\" and must not contain \"\\\"."
  }
}

variable "force_destroy" {
  description = "Whether terraform destroy may delete the bucket while it still holds objects. Leave false for an archive whose objects must outlive the configuration."
  type        = bool
  default     = false
  nullable    = false
}

variable "role_name" {
  description = "Name of the writer role. Unset (null) names it auditdrain-writer-<bucket_name>, cut to IAM's 64 characters."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null ? true : can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be 1 to 64 characters from letters, digits and +=,.@_-."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a managed policy to set as the writer role's permissions boundary, where an organisation requires one. Unset (null) sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/\\S+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN such as \"arn:aws:iam::123456789012:policy/boundary\"."
  }
}

variable "create_kms_key" {
  description = "Whether to create a customer managed KMS key (with yearly rotation) and encrypt the bucket with it (SSE-KMS). Conflicts with kms_key_arn. When neither is set the bucket uses SSE-S3 (AES256)."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key to encrypt the bucket with (SSE-KMS). Its key policy must let IAM policies of this account grant its use, since the writer role is granted kms:GenerateDataKey and kms:Encrypt by one. Conflicts with create_kms_key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>); an alias cannot be named in the writer role's policy."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Days a KMS key created by this module waits before it is deleted once scheduled for deletion (7 to 30)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "expiration_days" {
  description = "Days after which objects below key_prefix are deleted. Unset (null) keeps them for ever."
  type        = number
  default     = null

  validation {
    condition     = var.expiration_days == null ? true : var.expiration_days >= 1 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a whole number of at least 1."
  }
}

variable "transition_days" {
  description = "Days after which objects below key_prefix move to transition_storage_class. Unset (null) keeps them in S3 Standard. Must be less than expiration_days when both are set; S3 asks for at least 30 for STANDARD_IA and ONEZONE_IA."
  type        = number
  default     = null

  validation {
    condition     = var.transition_days == null ? true : var.transition_days >= 0 && floor(var.transition_days) == var.transition_days
    error_message = "transition_days must be a whole number of at least 0."
  }
}

variable "transition_storage_class" {
  description = "Storage class objects move to after transition_days."
  type        = string
  default     = "STANDARD_IA"
  nullable    = false

  validation {
    condition     = contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.transition_storage_class)
    error_message = "transition_storage_class must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE."
  }
}

variable "tags" {
  description = "Tags set on the bucket, the writer role and the KMS key."
  type        = map(string)
  default     = {}
  nullable    = false
}
