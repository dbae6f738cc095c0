"""A small stack tree for the language-server tests: two stacks (acme-prod, acme-dev) that
import a VPC catalog with an abstract base, a region mixin through `_defaults`, and an
environment override file. Line numbers below are asserted by the tests: keep them."""

from __future__ import annotations

SMALL: dict[str, str] = {
    "atmos.yaml": """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
        stacks:
          base_path: stacks
          included_paths: ["deployments/**/*"]
          excluded_paths: ["**/_defaults.yaml", "**/overrides/**"]
          name_pattern: "{tenant}-{stage}"
        """,
    "components/terraform/vpc/main.tf": """
        resource "null_resource" "vpc" {}
        """,
    "components/terraform/vpc/variables.tf": """
        variable "cidr_block" {
          type        = string
          description = "The VPC address space"
        }

        variable "nat_gateway_count" {
          type        = number
          description = "How many NAT gateways"
        }

        # Atmos passes the stack-wide vars to every component
        variable "tenant" {
          type = string
        }

        variable "stage" {
          type = string
        }

        variable "region" {
          type    = string
          default = "us-east-1"
        }
        """,
    "components/terraform/eks/main.tf": """
        resource "null_resource" "eks" {}
        """,
    "stacks/catalog/vpc/defaults.yaml": """
        components:
          terraform:
            vpc/defaults:
              metadata:
                type: abstract
                component: vpc
              vars:
                nat_gateway_count: 1
                cidr_block: 10.0.0.0/16
        """,
    "stacks/catalog/vpc/production.yaml": """
        import:
          - catalog/vpc/defaults
        components:
          terraform:
            vpc:
              metadata:
                component: vpc
                inherits:
                  - vpc/defaults
              vars:
                nat_gateway_count: 2
        """,
    "stacks/mixins/region.yaml": """
        vars:
          region: us-east-1
        """,
    "stacks/deployments/acme/_defaults.yaml": """
        import:
          - mixins/region
        vars:
          tenant: acme
        """,
    "stacks/deployments/acme/overrides/vpc.yaml": """
        components:
          terraform:
            vpc:
              vars:
                cidr_block: 10.60.0.0/16
        """,
    "stacks/deployments/acme/prod.yaml": """
        import:
          - catalog/vpc/production
          - ./_defaults
          - ./overrides/vpc
        vars:
          stage: prod
        components:
          terraform:
            vpc:
              vars:
                nat_gateway_count: 3
        """,
    "stacks/deployments/acme/dev.yaml": """
        import:
          - catalog/vpc/production
          - ./_defaults
        vars:
          stage: dev
        """,
}
