# Inputs of the security-groups component (Shared security groups for the environment's tiers).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/security-groups.schema.json.

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

variable "default_security_group_deny_all" {
  type        = bool
  description = "Strip all rules from the VPC's default security group"
}

variable "allow_all_egress" {
  type        = bool
  description = "Allow all outbound traffic instead of only the listed egress rules"
}

variable "ingress_rules" {
  type        = list(object({
    description = string
    from_port = number
    to_port = number
    protocol = string
    cidr_blocks = list(string)
  }))
  description = "Inbound rules"
}

variable "egress_rules" {
  type        = list(object({
    description = string
    from_port = number
    to_port = number
    protocol = string
    cidr_blocks = list(string)
  }))
  description = "Outbound rules"
}
