# ACM certificates validated through DNS.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
