# Application/network load balancer with TLS listeners.
# Resources are out of scope for this example tree: stack-lsp only needs the inputs.
