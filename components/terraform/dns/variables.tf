# Inputs of the dns component (Route 53 hosted zone with query logging).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/dns.schema.json.

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

variable "zone_name" {
  type        = string
  description = "Fully qualified name of the hosted zone"
}

variable "private_zone" {
  type        = bool
  description = "Create a private hosted zone instead of a public one"
}

variable "dnssec_enabled" {
  type        = bool
  description = "Sign the zone with DNSSEC"
}

variable "query_logging_enabled" {
  type        = bool
  description = "Log DNS queries"
}

variable "log_retention_days" {
  type        = number
  description = "Days DNS query logs are kept"
}

variable "record_ttl" {
  type        = number
  description = "Default TTL of records in seconds"
}
