# EKS cluster with managed node groups.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
