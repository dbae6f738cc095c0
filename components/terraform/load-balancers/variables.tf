# Inputs of the load-balancers component (Application/network load balancer with TLS listeners).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/load-balancers.schema.json.

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

variable "load_balancer_type" {
  type        = string
  description = "application or network"
}

variable "internal" {
  type        = bool
  description = "Create an internal (VPC-only) load balancer"
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion until this is turned off"
}

variable "access_logging_enabled" {
  type        = bool
  description = "Write access logs for requests"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}

variable "ssl_policy" {
  type        = string
  description = "TLS negotiation policy of the HTTPS listeners"
}

variable "http_redirect_to_https" {
  type        = bool
  description = "Redirect HTTP requests to HTTPS"
}

variable "idle_timeout" {
  type        = number
  description = "Idle connection timeout in seconds"
}
