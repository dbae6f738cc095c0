# Inputs of the certificate-manager component (ACM certificates validated through DNS).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/certificate-manager.schema.json.

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

variable "domain_name" {
  type        = string
  description = "Primary domain name of the certificate"
}

variable "subject_alternative_names" {
  type        = list(string)
  description = "Additional names covered by the certificate"
}

variable "validation_method" {
  type        = string
  description = "How ownership of the domain is proven"
}

variable "key_algorithm" {
  type        = string
  description = "Key algorithm of the certificate"
}

variable "certificate_transparency_logging_enabled" {
  type        = bool
  description = "Publish the certificate to Certificate Transparency logs"
}
