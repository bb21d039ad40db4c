variable "name" {
  description = "A name for people to recognise the integration by; need not be unique."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 128
    error_message = "name must be 1 to 128 characters."
  }
}

variable "url" {
  description = "The receiver's ingest endpoint, e.g. a SIEM's HTTP event collector. Must be https: the module sends a credential with every delivery."
  type        = string

  validation {
    condition     = length(var.url) <= 2048 && can(regex("^https://[^/?#@\\s]+([/?#]\\S*)?$", var.url))
    error_message = "url must be an https URL without credentials in it (send those with authorization)."
  }
}

variable "authorization" {
  description = "Value of the header that authenticates auditdrain to the receiver, e.g. \"Bearer <token>\" or \"Splunk <HEC token>\". Stored encrypted by auditdrain and never returned by its API. Unset (null): no such header."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.authorization == null ? true : length(var.authorization) >= 1 && length(var.authorization) <= 4096 && !can(regex("[\\r\\n\\x00]", var.authorization))
    error_message = "authorization must be 1 to 4096 characters without line breaks."
  }
}

variable "authorization_header" {
  description = "Name of the header that carries authorization, for receivers that expect another one (e.g. DD-API-KEY)."
  type        = string
  default     = "Authorization"
  nullable    = false

  validation {
    condition     = length(var.authorization_header) <= 256 && can(regex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", var.authorization_header))
    error_message = "authorization_header must be a valid HTTP header name."
  }
}

variable "headers" {
  description = "Further headers sent with every delivery, name to value, e.g. { \"X-Source\" = \"auditdrain\" }. Values are stored encrypted too; put the credential in authorization, which is a sensitive variable."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.headers) <= 19 && alltrue([for key in keys(var.headers) : length(key) <= 256 && can(regex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", key))])
    error_message = "headers must have at most 19 entries (20 with authorization), each named with a valid HTTP header name."
  }

  validation {
    condition     = alltrue([for key in keys(var.headers) : !contains(["content-type", "content-length", "content-encoding", "transfer-encoding", "connection", "host", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature"], lower(key))])
    error_message = "headers must not set Content-Type, Content-Length, Content-Encoding, Transfer-Encoding, Connection, Host, User-Agent or the webhook-id, webhook-timestamp and webhook-signature headers: auditdrain sets them itself."
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
  description = "Deliver audit-log events."
  type        = bool
  default     = true
  nullable    = false
}

variable "send_authorization_events" {
  description = "Deliver authorization events, one for every authorization decision. On by default here (the provider's default is off): a SIEM correlates access decisions with the audit trail."
  type        = bool
  default     = true
  nullable    = false
}

variable "enabled" {
  description = "Whether delivery runs; false pauses it while events keep accruing, e.g. during the receiver's maintenance."
  type        = bool
  default     = true
  nullable    = false
}
