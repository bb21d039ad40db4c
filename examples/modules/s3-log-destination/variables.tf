variable "name" {
  description = "A name for people to recognise the destination by; need not be unique."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 128
    error_message = "name must be 1 to 128 characters."
  }
}

variable "bucket_name" {
  description = "Name of the existing bucket the objects are written to."
  type        = string

  validation {
    condition     = length(var.bucket_name) >= 3 && length(var.bucket_name) <= 63 && can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, \".\" and \"-\", starting and ending with a letter or digit."
  }
}

variable "role_arn" {
  description = "ARN of the existing IAM role auditdrain assumes to write. Its trust policy must allow the auditdrain_identity data source's aws_principal_arn on condition that sts:ExternalId equals its external_id (the destination's external_id output), and its policy must allow s3:PutObject below key_prefix."
  type        = string

  validation {
    condition     = length(var.role_arn) <= 2048 && can(regex("^arn:[a-z0-9-]+:iam::[^:]*:role/[\\w+=,.@/-]{1,512}$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN such as \"arn:aws:iam::123456789012:role/auditdrain-writer\"."
  }
}

variable "region" {
  description = "The bucket's region. Unset (null): auditdrain discovers it with GetBucketLocation, which the role must then allow."
  type        = string
  default     = null

  validation {
    condition     = var.region == null ? true : length(var.region) <= 32 && can(regex("^[a-z0-9]+(-[a-z0-9]+)*$", var.region))
    error_message = "region must be a region name such as \"eu-west-1\"."
  }
}

variable "key_prefix" {
  description = "Prefix of every object key, without a leading slash; the test object written when the destination is saved goes below <key_prefix>/test/. Unset (null): auditdrain/<tenant id>, from the auditdrain_identity data source."
  type        = string
  default     = null

  validation {
    condition     = var.key_prefix == null ? true : length(var.key_prefix) >= 1 && length(var.key_prefix) <= 512 && can(regex("^[^/\\\\][^\\\\]*$", var.key_prefix))
    error_message = "key_prefix must be 1 to 512 characters, must not start with \"/\" and must not contain \"\\\"."
  }
}

variable "key_template" {
  description = "Object key layout below key_prefix, in Go-template syntax (see the provider's documentation of auditdrain_s3_log_destination for the variables). Unset (null): the provider's default, {{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}_{{ .Minute }}_{{ .Second }}_{{ .ID }}."
  type        = string
  default     = null

  validation {
    condition     = var.key_template == null ? true : length(var.key_template) >= 1 && length(var.key_template) <= 1024
    error_message = "key_template must be 1 to 1024 characters."
  }
}

variable "encoding" {
  description = "jsonl (one event a line) or json (one array per object). Unset (null): the provider's default, jsonl."
  type        = string
  default     = null

  validation {
    condition     = var.encoding == null ? true : contains(["jsonl", "json"], var.encoding)
    error_message = "encoding must be jsonl or json."
  }
}

variable "compression" {
  description = "gzip or none. The module compresses by default (the provider's default is none): audit logs shrink roughly tenfold and Athena, Spark and most SIEM importers read .gz objects as they are."
  type        = string
  default     = "gzip"
  nullable    = false

  validation {
    condition     = contains(["gzip", "none"], var.compression)
    error_message = "compression must be gzip or none."
  }
}

variable "batch_duration_in_minutes" {
  description = "A batch is written when its oldest event has waited this many minutes (1 to 60). Unset (null): the provider's default, 5, unless batch_duration_in_seconds is set."
  type        = number
  default     = null

  validation {
    condition     = var.batch_duration_in_minutes == null ? true : var.batch_duration_in_minutes >= 1 && var.batch_duration_in_minutes <= 60 && floor(var.batch_duration_in_minutes) == var.batch_duration_in_minutes
    error_message = "batch_duration_in_minutes must be a whole number from 1 to 60."
  }
}

variable "batch_duration_in_seconds" {
  description = "A finer alternative to batch_duration_in_minutes (1 to 3600), for near-real-time archives. Conflicts with batch_duration_in_minutes. Unset (null): not used."
  type        = number
  default     = null

  validation {
    condition     = var.batch_duration_in_seconds == null ? true : var.batch_duration_in_seconds >= 1 && var.batch_duration_in_seconds <= 3600 && floor(var.batch_duration_in_seconds) == var.batch_duration_in_seconds
    error_message = "batch_duration_in_seconds must be a whole number from 1 to 3600."
  }
}

variable "maximum_batch_size" {
  description = "A batch is written as soon as it holds this many events (1 to 100000). Unset (null): the provider's default, 5000."
  type        = number
  default     = null

  validation {
    condition     = var.maximum_batch_size == null ? true : var.maximum_batch_size >= 1 && var.maximum_batch_size <= 100000 && floor(var.maximum_batch_size) == var.maximum_batch_size
    error_message = "maximum_batch_size must be a whole number from 1 to 100000."
  }
}

variable "filter_for_actions" {
  description = "Only events whose action is listed are delivered; an entry ending in .* matches every action under that prefix (grant.* matches grant.approved). Unset (null): every action."
  type        = set(string)
  default     = null

  validation {
    condition     = var.filter_for_actions == null ? true : length(var.filter_for_actions) <= 100 && alltrue([for action in var.filter_for_actions : can(regex("^(\\*|[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*(\\.\\*)?)$", action))])
    error_message = "filter_for_actions must hold at most 100 actions such as \"grant.approved\" or prefixes such as \"grant.*\"."
  }
}

variable "send_audit_log_events" {
  description = "Deliver audit-log events. Unset (null): the provider's default, true."
  type        = bool
  default     = null
}

variable "send_authorization_events" {
  description = "Deliver authorization events (one for every authorization decision). Unset (null): the provider's default, false."
  type        = bool
  default     = null
}

variable "server_side_encryption" {
  description = "Server-side encryption requested for each object: AES256, aws:kms or aws:kms:dsse. Unset (null): the bucket's default encryption applies."
  type        = string
  default     = null

  validation {
    condition     = var.server_side_encryption == null ? true : contains(["AES256", "aws:kms", "aws:kms:dsse"], var.server_side_encryption)
    error_message = "server_side_encryption must be AES256, aws:kms or aws:kms:dsse."
  }
}

variable "kms_key_id" {
  description = "KMS key id or ARN for server_side_encryption aws:kms or aws:kms:dsse. Unset (null): the AWS managed key."
  type        = string
  default     = null
}

variable "object_acl" {
  description = "Canned ACL set on each object, e.g. bucket-owner-full-control for a bucket in another account that still uses ACLs. Leave unset (null) for a bucket whose object ownership is BucketOwnerEnforced, which refuses other ACLs."
  type        = string
  default     = null

  validation {
    condition     = var.object_acl == null ? true : contains(["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"], var.object_acl)
    error_message = "object_acl must be a canned ACL: private, public-read, public-read-write, authenticated-read, aws-exec-read, bucket-owner-read or bucket-owner-full-control."
  }
}

variable "endpoint_url" {
  description = "S3 endpoint of an S3-compatible store (MinIO, Ceph, R2, …). Unset (null): Amazon S3 in the bucket's region."
  type        = string
  default     = null

  validation {
    condition     = var.endpoint_url == null ? true : can(regex("^https?://[^\\s/]+", var.endpoint_url))
    error_message = "endpoint_url must be an http or https URL."
  }
}

variable "force_path_style" {
  description = "Address the bucket in the path (endpoint/bucket/key) instead of the host name, as many S3-compatible stores need. Unset (null): the provider's default, false."
  type        = bool
  default     = null
}

variable "enabled" {
  description = "Whether delivery runs; false pauses it while events keep accruing. Unset (null): the provider's default, true."
  type        = bool
  default     = null
}
