# Inputs of the web-services component (Web front-end services (Kubernetes deployment + ingress)).
# Atmos passes every var of the final component section, including the global ones,
# so this declares exactly what the stacks set. Validated by
# stacks/_globals/schemas/component-schemas/web-services.schema.json.

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

variable "image_repository" {
  type        = string
  description = "Container image repository"
}

variable "image_tag" {
  type        = string
  description = "Container image tag to deploy"
}

variable "container_port" {
  type        = number
  description = "Port the container listens on"
}

variable "health_check_path" {
  type        = string
  description = "HTTP path the load balancer and probes check"
}

variable "hostname" {
  type        = string
  description = "Public host name of the web front end"
}

variable "min_replicas" {
  type        = number
  description = "Minimum number of pods"
}

variable "max_replicas" {
  type        = number
  description = "Maximum number of pods"
}

variable "cpu" {
  type        = string
  description = "CPU request per pod (Kubernetes quantity, e.g. 250m)"
}

variable "memory" {
  type        = string
  description = "Memory request per pod (Kubernetes quantity, e.g. 512Mi)"
}

variable "autoscaling_target_cpu" {
  type        = number
  description = "Average CPU utilisation (%) the horizontal autoscaler aims for"
}

variable "encryption_in_transit_enabled" {
  type        = bool
  description = "Require TLS for every connection"
}
