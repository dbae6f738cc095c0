# Inputs of the grafana component (Amazon Managed Grafana workspace).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/grafana.schema.json.

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

variable "grafana_version" {
  type        = string
  description = "Grafana version of the workspace"
}

variable "authentication_providers" {
  type        = list(string)
  description = "How users sign in to Grafana"
}

variable "permission_type" {
  type        = string
  description = "Who manages the workspace's IAM permissions"
}

variable "data_sources" {
  type        = list(string)
  description = "Data sources Grafana is granted access to"
}

variable "notification_destinations" {
  type        = list(string)
  description = "Where Grafana alerts are sent"
}
