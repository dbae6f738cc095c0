# Public APIs behind API Gateway.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
