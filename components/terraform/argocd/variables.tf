# Inputs of the argocd component (Argo CD (Helm release on EKS)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/argocd.schema.json.

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

variable "ha_enabled" {
  type        = bool
  description = "Run in high-availability mode"
}

variable "replicas" {
  type        = number
  description = "Number of replicas"
}

variable "hostname" {
  type        = string
  description = "Host name of the Argo CD UI"
}

variable "sso_enabled" {
  type        = bool
  description = "Sign in through the organisation's SSO"
}

variable "sync_policy_automated" {
  type        = bool
  description = "Sync applications automatically"
}

variable "applicationset_enabled" {
  type        = bool
  description = "Install the ApplicationSet controller"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}
