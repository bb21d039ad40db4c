# An auditdrain webhook integration for a SIEM-style receiver: every matching event is POSTed to url, one at a time,
# signed (Standard Webhooks) and retried with backoff, with a credential header the receiver checks.

locals {
  authorization_headers = var.authorization == null ? [] : [{ key = var.authorization_header, value = var.authorization }]
  other_headers         = [for key, value in var.headers : { key = key, value = value }]
  headers               = concat(local.authorization_headers, local.other_headers)
}

resource "auditdrain_webhook_integration" "this" {
  name    = var.name
  url     = var.url
  headers = length(local.headers) == 0 ? null : local.headers

  filter_for_actions        = var.filter_for_actions
  send_audit_log_events     = var.send_audit_log_events
  send_authorization_events = var.send_authorization_events
  enabled                   = var.enabled

  lifecycle {
    precondition {
      condition     = var.authorization == null ? true : !contains([for key in keys(var.headers) : lower(key)], lower(var.authorization_header))
      error_message = "headers must not also set the authorization header (${var.authorization_header}); give its value as authorization."
    }
  }
}
