# VPC with public/private subnets, NAT gateways and flow logs.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
