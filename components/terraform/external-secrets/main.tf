# External Secrets Operator (Helm release on EKS).
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
