# Inputs of the kms component (Customer-managed KMS keys (one per purpose, aliased alias/<purpose>)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/kms.schema.json.

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

variable "keys" {
  type        = map(object({
    description = string
    deletion_window_in_days = optional(number)
    enable_key_rotation = bool
    multi_region = optional(bool)
  }))
  description = "Customer-managed KMS keys by purpose; each gets the alias alias/<purpose>"
}
