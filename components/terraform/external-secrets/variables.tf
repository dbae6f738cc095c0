# Inputs of the external-secrets component (External Secrets Operator (Helm release on EKS)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/external-secrets.schema.json.

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

variable "replicas" {
  type        = number
  description = "Number of replicas"
}

variable "secret_store_backend" {
  type        = string
  description = "Where the operator reads secrets from"
}

variable "refresh_interval" {
  type        = string
  description = "How often secrets are re-read from the backend"
}

variable "webhook_enabled" {
  type        = bool
  description = "Install the validating webhook"
}
