variable "siem_token" {
  description = "Token the SIEM's ingest endpoint expects."
  type        = string
  sensitive   = true
}

resource "auditdrain_webhook_integration" "example" {
  name = "SIEM"
  url  = "https://siem.example.com/ingest/auditdrain"

  # Header values are stored encrypted and never returned by the API.
  headers = [
    { key = "Authorization", value = "Bearer ${var.siem_token}" },
    { key = "X-Source", value = "auditdrain" },
  ]

  filter_for_actions        = ["grant.*", "access.requested"]
  send_authorization_events = true
}

# The receiver verifies each delivery's webhook-signature header with this secret (Standard Webhooks).
output "siem_signing_secret" {
  value     = auditdrain_webhook_integration.example.signing_secret
  sensitive = true
}
