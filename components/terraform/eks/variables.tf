# Inputs of the eks component (EKS cluster with managed node groups).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/eks.schema.json.

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

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the cluster"
}

variable "endpoint_private_access" {
  type        = bool
  description = "Expose the Kubernetes API inside the VPC"
}

variable "endpoint_public_access" {
  type        = bool
  description = "Expose the Kubernetes API on the internet"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt Kubernetes secrets with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "KMS key for envelope encryption of Kubernetes secrets"
}

variable "enabled_cluster_log_types" {
  type        = list(string)
  description = "Control-plane log types sent to CloudWatch"
}

variable "log_retention_days" {
  type        = number
  description = "Days control-plane logs are kept"
}

variable "node_groups" {
  type        = map(object({
    instance_types = list(string)
    min_size = number
    max_size = number
    desired_size = number
    capacity_type = optional(string)
    ami_type = optional(string)
    disk_size = optional(number)
    labels = optional(map(string))
    taints = optional(list(object({
      key = string
      value = string
      effect = string
    })))
  }))
  description = "Managed node groups by name"
}
