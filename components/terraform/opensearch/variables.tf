# Inputs of the opensearch component (OpenSearch domain).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/opensearch.schema.json.

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

variable "engine_version" {
  type        = string
  description = "OpenSearch version, e.g. OpenSearch_2.13"
}

variable "instance_type" {
  type        = string
  description = "Data node instance type, e.g. r6g.large.search"
}

variable "instance_count" {
  type        = number
  description = "Number of data nodes"
}

variable "dedicated_master_enabled" {
  type        = bool
  description = "Use dedicated master nodes"
}

variable "zone_awareness_enabled" {
  type        = bool
  description = "Spread nodes over availability zones"
}

variable "ebs_volume_size" {
  type        = number
  description = "EBS volume size per data node in GiB"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "node_to_node_encryption_enabled" {
  type        = bool
  description = "Encrypt traffic between nodes"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "tls_security_policy" {
  type        = string
  description = "TLS policy of the domain endpoint"
}

variable "audit_logging_enabled" {
  type        = bool
  description = "Enable audit logging"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}
