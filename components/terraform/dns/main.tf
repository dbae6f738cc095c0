# Route 53 hosted zone with query logging.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
