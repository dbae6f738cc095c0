# EC2 instances (bastions, legacy workloads).
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
