# Inputs of the rds component (RDS PostgreSQL database).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/rds.schema.json.

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
  description = "Database engine"
}

variable "engine_version" {
  type        = string
  description = "Database engine version"
}

variable "instance_class" {
  type        = string
  description = "RDS instance class, e.g. db.r6g.xlarge"
}

variable "allocated_storage" {
  type        = number
  description = "Initial storage in GiB"
}

variable "max_allocated_storage" {
  type        = number
  description = "Upper limit in GiB for storage autoscaling"
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in another availability zone"
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

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups are kept"
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion until this is turned off"
}

variable "publicly_accessible" {
  type        = bool
  description = "Give the database a public endpoint"
}

variable "performance_insights_enabled" {
  type        = bool
  description = "Enable Performance Insights"
}

variable "iam_database_authentication_enabled" {
  type        = bool
  description = "Allow IAM authentication to the database"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}

variable "replication_role" {
  type        = string
  description = "primary, or replica of a database in replication_source_region"
}

variable "replication_source_region" {
  type        = string
  description = "Region of the primary when replication_role is replica"
  default     = null
}
