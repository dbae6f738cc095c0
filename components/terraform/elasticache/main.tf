# ElastiCache (Valkey/Redis) replication group.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
