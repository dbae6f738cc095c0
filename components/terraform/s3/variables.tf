# Inputs of the s3 component (S3 bucket).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/s3.schema.json.

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

variable "bucket_purpose" {
  type        = string
  description = "What the bucket holds; part of its name"
}

variable "versioning_enabled" {
  type        = bool
  description = "Keep every version of every object"
}

variable "block_public_access" {
  type        = bool
  description = "Enable all four S3 Block Public Access settings"
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

variable "access_logging_enabled" {
  type        = bool
  description = "Write access logs for requests"
}

variable "object_lock_enabled" {
  type        = bool
  description = "Enable S3 Object Lock (write once, read many)"
}

variable "lifecycle_transition_days" {
  type        = number
  description = "Days before objects move to Standard-IA"
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days before noncurrent object versions are deleted"
}
