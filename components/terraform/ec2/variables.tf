# Inputs of the ec2 component (EC2 instances (bastions, legacy workloads)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/ec2.schema.json.

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

variable "instance_type" {
  type        = string
  description = "Instance type"
}

variable "instance_count" {
  type        = number
  description = "Number of instances"
}

variable "root_volume_size" {
  type        = number
  description = "Root volume size in GiB"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "metadata_http_tokens" {
  type        = string
  description = "IMDS token requirement; required means IMDSv2 only"
}

variable "associate_public_ip_address" {
  type        = bool
  description = "Give instances a public IP address"
}

variable "detailed_monitoring_enabled" {
  type        = bool
  description = "Enable one-minute CloudWatch detailed monitoring"
}
