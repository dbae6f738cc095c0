# Inputs of the secrets-manager component (Secrets Manager secrets with rotation).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/secrets-manager.schema.json.

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

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "recovery_window_in_days" {
  type        = number
  description = "Days a deleted secret can be restored"
}

variable "secrets" {
  type        = map(object({
    description = string
    rotation_enabled = bool
    rotation_days = optional(number)
  }))
  description = "Secrets by name"
}
