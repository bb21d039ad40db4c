# A first Terraform configuration for auditdrain: the customer's S3 archive and a webhook to their SIEM.
# The provider reads AUDITDRAIN_ENDPOINT and AUDITDRAIN_API_KEY; the values below come from terraform.tfvars or -var.

terraform {
  required_version = ">= 1.5"
  required_providers {
    auditdrain = {
      source  = "auditdrain/auditdrain"
      version = "~> 0.1.0"
    }
  }
}

provider "auditdrain" {}

variable "bucket_name" {
  type        = string
  description = "The S3 bucket the archive is written to."
}

variable "role_arn" {
  type        = string
  description = "The IAM role auditdrain assumes to write the bucket; its trust policy needs the external_id output."
}

variable "s3_endpoint_url" {
  type        = string
  default     = null
  description = "An S3-compatible store's endpoint instead of AWS (path-style addressing is then used)."
}

variable "siem_url" {
  type        = string
  description = "The HTTPS endpoint the webhook integration POSTs events to."
}

variable "siem_token" {
  type        = string
  sensitive   = true
  description = "The bearer token the SIEM expects."
}

# The tenant the API key belongs to, and what the role's trust policy must name.
data "auditdrain_identity" "me" {}

resource "auditdrain_s3_log_destination" "archive" {
  name                      = "security archive"
  bucket_name               = var.bucket_name
  role_arn                  = var.role_arn
  key_prefix                = "auditdrain/${data.auditdrain_identity.me.tenant_id}"
  key_template              = "year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}"
  compression               = "gzip"
  batch_duration_in_minutes = 5
  endpoint_url              = var.s3_endpoint_url
  force_path_style          = var.s3_endpoint_url != null
}

resource "auditdrain_webhook_integration" "siem" {
  name                      = "siem"
  url                       = var.siem_url
  headers                   = [{ key = "Authorization", value = "Bearer ${var.siem_token}" }]
  filter_for_actions        = ["grant.*", "access.*"]
  send_authorization_events = true
}

output "external_id" {
  description = "The sts:ExternalId condition of the role's trust policy."
  value       = data.auditdrain_identity.me.external_id
}

output "aws_principal_arn" {
  description = "The principal the role's trust policy allows to assume it."
  value       = data.auditdrain_identity.me.aws_principal_arn
}

output "archive_id" {
  value = auditdrain_s3_log_destination.archive.id
}

output "siem_integration_id" {
  value = auditdrain_webhook_integration.siem.id
}
