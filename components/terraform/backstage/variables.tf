# Inputs of the backstage component (Backstage developer portal (Helm release on EKS)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/backstage.schema.json.

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

variable "hostname" {
  type        = string
  description = "Host name of the Backstage portal"
}

variable "auth_provider" {
  type        = string
  description = "Identity provider users sign in with"
}

variable "ingress_enabled" {
  type        = bool
  description = "Expose the service through an ingress"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}

variable "catalog_locations" {
  type        = list(string)
  description = "URLs of the software catalog files Backstage reads"
  default     = null
}
