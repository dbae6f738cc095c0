# Inputs of the lambda component (Lambda functions).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/lambda.schema.json.

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

variable "runtime" {
  type        = string
  description = "Lambda runtime"
}

variable "architectures" {
  type        = list(string)
  description = "Instruction set architecture of the function (arm64 or x86_64)"
}

variable "memory_size" {
  type        = number
  description = "Memory of the function in MB"
}

variable "timeout" {
  type        = number
  description = "Function timeout in seconds"
}

variable "reserved_concurrent_executions" {
  type        = number
  description = "Concurrency reserved for the function"
  default     = null
}

variable "tracing_mode" {
  type        = string
  description = "X-Ray tracing mode"
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
