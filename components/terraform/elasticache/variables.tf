# Inputs of the elasticache component (ElastiCache (Valkey/Redis) replication group).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/elasticache.schema.json.

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

variable "engine" {
  type        = string
  description = "Cache engine (valkey or redis)"
}

variable "engine_version" {
  type        = string
  description = "Cache engine version"
}

variable "node_type" {
  type        = string
  description = "Cache node type"
}

variable "num_cache_clusters" {
  type        = number
  description = "Number of nodes in the replication group"
}

variable "automatic_failover_enabled" {
  type        = bool
  description = "Promote a replica automatically when the primary fails"
}

variable "multi_az_enabled" {
  type        = bool
  description = "Place replicas in several availability zones"
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

variable "snapshot_retention_limit" {
  type        = number
  description = "Days automatic snapshots are kept"
}
