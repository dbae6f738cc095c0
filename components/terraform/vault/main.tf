# HashiCorp Vault (Helm release on EKS, KMS auto-unseal).
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
