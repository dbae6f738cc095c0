# Inputs of the vpc component (VPC with public/private subnets, NAT gateways and flow logs).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/vpc.schema.json.

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

variable "cidr_block" {
  type        = string
  description = "IPv4 CIDR block of the VPC"
}

variable "availability_zone_count" {
  type        = number
  description = "Number of availability zones that get subnets"
}

variable "nat_gateway_enabled" {
  type        = bool
  description = "Create NAT gateways for the private subnets"
}

variable "nat_gateway_count" {
  type        = number
  description = "Number of NAT gateways (one per AZ for high availability)"
}

variable "public_subnets_enabled" {
  type        = bool
  description = "Create public subnets"
}

variable "enable_dns_hostnames" {
  type        = bool
  description = "Give instances DNS hostnames"
}

variable "enable_dns_support" {
  type        = bool
  description = "Enable the Amazon-provided DNS resolver"
}

variable "flow_logs_enabled" {
  type        = bool
  description = "Record VPC flow logs"
}

variable "flow_log_traffic_type" {
  type        = string
  description = "Which traffic flow logs record: ALL, ACCEPT or REJECT"
}

variable "flow_log_retention_days" {
  type        = number
  description = "Days VPC flow logs are kept in CloudWatch Logs"
}

variable "transit_gateway_enabled" {
  type        = bool
  description = "Create a transit gateway in this VPC's account"
}

variable "transit_gateway_amazon_side_asn" {
  type        = number
  description = "Private ASN of the transit gateway"
  default     = null
}

variable "transit_gateway_auto_accept_shared_attachments" {
  type        = bool
  description = "Accept attachments from other accounts automatically"
  default     = null
}
