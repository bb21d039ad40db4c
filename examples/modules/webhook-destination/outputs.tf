output "id" {
  description = "Id of the integration (whk_…), for the API: its delivery log (GET /v1/webhook-integrations/{id}/deliveries), a test delivery (POST …/{id}/test) and import."
  value       = auditdrain_webhook_integration.this.id
}

output "name" {
  description = "Name of the integration."
  value       = auditdrain_webhook_integration.this.name
}

output "signing_secret" {
  description = "Secret (whsec_…) the receiver verifies each delivery's webhook-signature header with (Standard Webhooks). Read it with terraform output -raw signing_secret and store it where the receiver reads it."
  value       = auditdrain_webhook_integration.this.signing_secret
  sensitive   = true
}
