# Inputs of the ml-workloads component (SageMaker endpoints and notebooks).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/ml-workloads.schema.json.

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

variable "endpoint_instance_type" {
  type        = string
  description = "Instance type of the inference endpoint"
}

variable "endpoint_instance_count" {
  type        = number
  description = "Number of instances behind the inference endpoint"
}

variable "notebook_enabled" {
  type        = bool
  description = "Create a SageMaker notebook instance"
}

variable "network_isolation_enabled" {
  type        = bool
  description = "Run containers without network access"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "model_monitoring_enabled" {
  type        = bool
  description = "Enable SageMaker Model Monitor on the endpoint"
}
