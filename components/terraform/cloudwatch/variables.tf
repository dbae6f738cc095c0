# Inputs of the cloudwatch component (CloudWatch log groups, alarms and CloudTrail).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/cloudwatch.schema.json.

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

variable "log_retention_days" {
  type        = number
  description = "Days logs are kept in CloudWatch Logs"
}

variable "encryption_at_rest_enabled" {
  type        = bool
  description = "Encrypt data at rest with the KMS key in kms_key_alias"
}

variable "kms_key_alias" {
  type        = string
  description = "Alias of the KMS key used for encryption at rest"
}

variable "cloudtrail_enabled" {
  type        = bool
  description = "Create a CloudTrail trail"
}

variable "organization_trail_enabled" {
  type        = bool
  description = "Make the trail an organisation trail covering every account"
  default     = null
}

variable "audit_logging_enabled" {
  type        = bool
  description = "Enable audit logging"
}

variable "dashboards_enabled" {
  type        = bool
  description = "Create the standard CloudWatch dashboards"
}

variable "alarm_sns_topic_name" {
  type        = string
  description = "SNS topic that receives CloudWatch alarm notifications"
}
