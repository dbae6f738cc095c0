# Inputs of the apis component (Public APIs behind API Gateway).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/apis.schema.json.

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

variable "api_gateway_type" {
  type        = string
  description = "API Gateway flavour: REST or HTTP"
}

variable "stage_name" {
  type        = string
  description = "Name of the deployed API stage"
}

variable "authorizer_type" {
  type        = string
  description = "How requests are authorised"
}

variable "throttling_rate_limit" {
  type        = number
  description = "Steady-state requests per second"
}

variable "throttling_burst_limit" {
  type        = number
  description = "Maximum request burst"
}

variable "waf_enabled" {
  type        = bool
  description = "Attach the AWS WAF web ACL"
}

variable "access_logging_enabled" {
  type        = bool
  description = "Write access logs for requests"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}

variable "custom_domain_name" {
  type        = string
  description = "Custom domain name for the API"
  default     = null
}
