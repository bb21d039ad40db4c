# Both settings can come from the environment instead: AUDITDRAIN_ENDPOINT and AUDITDRAIN_API_KEY.
# The API key needs the admin role.
provider "auditdrain" {
  endpoint = "https://auditdrain.example.com"
  api_key  = var.auditdrain_api_key
}

variable "auditdrain_api_key" {
  description = "An auditdrain API key (adk_…) with the admin role."
  type        = string
  sensitive   = true
}
