import {
  to = auditdrain_webhook_integration.example
  id = "whk_01jdq7p9w3m2x8k4r6t0v5n1ca"
}
