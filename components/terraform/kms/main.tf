# Customer-managed KMS keys (one per purpose, aliased alias/<purpose>).
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
