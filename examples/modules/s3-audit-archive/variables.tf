# Values are checked where they are used, by the validations of aws-audit-log-bucket and s3-log-destination, whose
# messages name the variable; the defaults are theirs, so that this module behaves as they do.

variable "bucket_name" {
  description = "Name of the bucket to create for the archive (S3 bucket names are global)."
  type        = string
}

variable "name" {
  description = "Name of the auditdrain destination, for people to recognise it by."
  type        = string
  default     = "audit log archive"
  nullable    = false
}

variable "key_prefix" {
  description = "Prefix of every object key, without a leading or trailing slash. Unset (null): auditdrain/<tenant id>."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Whether terraform destroy may delete the bucket while it still holds objects."
  type        = bool
  default     = false
  nullable    = false
}

variable "role_name" {
  description = "Name of the writer role. Unset (null): auditdrain-writer-<bucket_name>, cut to 64 characters."
  type        = string
  default     = null
}

variable "permissions_boundary_arn" {
  description = "ARN of a managed policy to set as the writer role's permissions boundary. Unset (null): none."
  type        = string
  default     = null
}

variable "create_kms_key" {
  description = "Whether to create a KMS key (with rotation) and encrypt the bucket with it. Conflicts with kms_key_arn; with neither the bucket uses SSE-S3 (AES256)."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key to encrypt the bucket with. Conflicts with create_kms_key."
  type        = string
  default     = null
}

variable "expiration_days" {
  description = "Days after which archived objects are deleted. Unset (null): kept for ever."
  type        = number
  default     = null
}

variable "transition_days" {
  description = "Days after which archived objects move to transition_storage_class. Unset (null): they stay in S3 Standard."
  type        = number
  default     = null
}

variable "transition_storage_class" {
  description = "Storage class archived objects move to after transition_days."
  type        = string
  default     = "STANDARD_IA"
  nullable    = false
}

variable "tags" {
  description = "Tags set on the AWS resources."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "key_template" {
  description = "Object key layout below key_prefix, in Go-template syntax. Unset (null): the provider's default."
  type        = string
  default     = null
}

variable "encoding" {
  description = "jsonl (one event a line) or json (one array per object). Unset (null): the provider's default, jsonl."
  type        = string
  default     = null
}

variable "compression" {
  description = "gzip or none. gzip by default, as in s3-log-destination (the provider's default is none)."
  type        = string
  default     = "gzip"
  nullable    = false
}

variable "batch_duration_in_minutes" {
  description = "A batch is written when its oldest event has waited this many minutes (1 to 60). Unset (null): the provider's default, 5."
  type        = number
  default     = null
}

variable "maximum_batch_size" {
  description = "A batch is written as soon as it holds this many events (1 to 100000). Unset (null): the provider's default, 5000."
  type        = number
  default     = null
}

variable "filter_for_actions" {
  description = "Only events whose action is listed (or matches a prefix such as grant.*) are archived. Unset (null): every action."
  type        = set(string)
  default     = null
}

variable "send_authorization_events" {
  description = "Archive authorization events too (one for every authorization decision). Unset (null): the provider's default, false."
  type        = bool
  default     = null
}
