terraform {
  required_version = ">= 1.5"

  required_providers {
    auditdrain = {
      source  = "auditdrain/auditdrain"
      version = "~> 0.1.0"
    }
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}
