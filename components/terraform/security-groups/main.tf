# Shared security groups for the environment's tiers.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
