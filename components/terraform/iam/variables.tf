# Inputs of the iam component (Account IAM baseline: password policy, access analyzer, roles).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/iam.schema.json.

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

variable "access_analyzer_enabled" {
  type        = bool
  description = "Create an IAM Access Analyzer for the account"
}

variable "password_minimum_length" {
  type        = number
  description = "Minimum length of IAM user passwords"
}

variable "password_max_age_days" {
  type        = number
  description = "Days before an IAM user password expires"
}

variable "require_mfa" {
  type        = bool
  description = "Deny actions to IAM principals signed in without MFA"
}

variable "roles" {
  type        = map(object({
    managed_policy_arns = list(string)
    max_session_duration = optional(number)
    trusted_principals = optional(list(string))
  }))
  description = "IAM roles by name"
}
