# Inputs of the prometheus component (Amazon Managed Service for Prometheus workspace).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/prometheus.schema.json.

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

variable "workspace_alias" {
  type        = string
  description = "Alias of the Prometheus workspace"
}

variable "scrape_interval" {
  type        = string
  description = "How often targets are scraped"
}

variable "alert_manager_enabled" {
  type        = bool
  description = "Enable the workspace's Alertmanager"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}
