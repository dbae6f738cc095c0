# Inputs of the vault component (HashiCorp Vault (Helm release on EKS, KMS auto-unseal)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/vault.schema.json.

variable "tenant" {
  type        = string
  description = "Tenant that owns the stack (first part of the stack name), e.g. fnx"
}

variable "account" {
  type        = string
  description = "Account within the tenant, e.g. production"
}

variable "region" {
  type        = string
  description = "AWS region the stack deploys to, or \"global\" for global services"
}

variable "environment" {
  type        = string
  description = "Environment name within the region, e.g. prod-01"
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource; merged from globals, tenant, account, environment and component"
}

variable "chart_version" {
  type        = string
  description = "Version of the Helm chart to install"
}

variable "ha_enabled" {
  type        = bool
  description = "Run in high-availability mode"
}

variable "replicas" {
  type        = number
  description = "Vault server pods (1, 3 or 5 for a Raft quorum)"
}

variable "storage_backend" {
  type        = string
  description = "Vault storage backend"
}

variable "kms_key_alias" {
  type        = string
  description = "KMS key used to auto-unseal Vault"
}

variable "audit_logging_enabled" {
  type        = bool
  description = "Enable audit logging"
}

variable "ui_enabled" {
  type        = bool
  description = "Serve the Vault web UI"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}
