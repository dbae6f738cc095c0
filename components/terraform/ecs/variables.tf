# Inputs of the ecs component (ECS Fargate cluster).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/ecs.schema.json.

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

variable "container_insights_enabled" {
  type        = bool
  description = "Enable CloudWatch Container Insights"
}

variable "fargate_weight" {
  type        = number
  description = "Relative share of tasks placed on Fargate on-demand"
}

variable "fargate_spot_weight" {
  type        = number
  description = "Relative share of tasks placed on Fargate Spot"
}

variable "execute_command_logging_enabled" {
  type        = bool
  description = "Log ECS Exec sessions"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}
