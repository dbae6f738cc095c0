# Inputs of the data-pipelines component (Glue ETL jobs on a schedule).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/data-pipelines.schema.json.

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

variable "glue_version" {
  type        = string
  description = "AWS Glue version of the jobs"
}

variable "worker_type" {
  type        = string
  description = "Glue worker type"
}

variable "number_of_workers" {
  type        = number
  description = "Workers allocated to each job run"
}

variable "max_retries" {
  type        = number
  description = "Retries of a failed job run"
}

variable "schedule_expression" {
  type        = string
  description = "When the jobs run (rate(...) or cron(...))"
}

variable "job_bookmarks_enabled" {
  type        = bool
  description = "Use Glue job bookmarks to process only new data"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}
